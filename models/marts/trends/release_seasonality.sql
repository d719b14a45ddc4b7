-- When in the year movies come out, per genre (and over all genres): movies released in each calendar month
-- over every year, the month's share of the genre's dated movies, and a seasonality index (share x 12: 1 is an
-- even spread, 2 twice the average month).
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

financials as (

    select * from {{ ref('fct_movie_financials') }}

),

by_genre as (

    select genres.genre_name, movies.movie_id, month(movies.release_date) as release_month, movies.vote_average
    from movies
    inner join genres on movies.movie_id = genres.movie_id
    union all
    select 'All genres' as genre_name, movie_id, month(release_date) as release_month, vote_average
    from movies

),

monthly as (

    select
        by_genre.genre_name,
        cast(by_genre.release_month as integer) as release_month,
        count(*) as movies_released,
        round({{ exact_avg("by_genre.vote_average") }}, 4) as avg_vote_average,
        median(financials.revenue_usd) as median_revenue_usd,
    from by_genre
    left join financials on by_genre.movie_id = financials.movie_id
    group by by_genre.genre_name, by_genre.release_month

),

final as (

    select
        genre_name,
        release_month,
        movies_released,
        movies_released / sum(movies_released) over (partition by genre_name) as share_of_genre,
        12 * movies_released / sum(movies_released) over (partition by genre_name) as seasonality_index,
        avg_vote_average,
        median_revenue_usd,
    from monthly

)

select * from final
