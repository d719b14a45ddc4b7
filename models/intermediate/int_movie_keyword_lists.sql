-- One row per movie with its keywords as an ordered list (for dim_movie and the moods model).
with

keywords as (

    select * from {{ ref('stg_tmdb__keywords') }}

),

movies as (

    select movie_id, details_row_id from {{ ref('int_movies') }}

),

aggregated as (

    select
        movies.movie_id,
        {{ ordered_list('keywords.keyword_name', 'keywords.keyword_position') }} as keyword_names,
        count(*) as keyword_count

    from keywords
    inner join movies on keywords.details_row_id = movies.details_row_id
    group by movies.movie_id

)

select * from aggregated
