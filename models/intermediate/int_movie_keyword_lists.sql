-- One row per movie with its keywords as an ordered list (for dim_movie and the moods model).
with

keywords as (

    select * from {{ ref('stg_tmdb__keywords') }}

),

aggregated as (

    select
        movie_id,
        list(keyword_name order by keyword_position) as keyword_names,
        count(*) as keyword_count,

    from keywords
    group by movie_id

)

select * from aggregated
