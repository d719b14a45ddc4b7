-- Every dated, not deleted movie once under each of its genres and once under 'All genres': the groups the trend
-- marts (release_seasonality, runtime_trends) aggregate, per genre and over all genres.

with

movies as (

    select * from {{ ref('dim_movie') }}
    where release_date is not null and not is_deleted

),

genres as (

    select bridge.movie_id, dim.genre_name
    from {{ ref('bridge_movie_genre') }} as bridge
    inner join {{ ref('dim_genre') }} as dim on bridge.genre_id = dim.genre_id

),

final as (

    select genres.genre_name, movies.movie_id, movies.release_date, movies.release_year, movies.runtime_minutes,
        movies.vote_average
    from movies
    inner join genres on movies.movie_id = genres.movie_id
    union all
    select 'All genres' as genre_name, movie_id, release_date, release_year, runtime_minutes, vote_average
    from movies

)

select * from final
