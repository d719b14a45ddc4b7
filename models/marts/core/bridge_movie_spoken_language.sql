with

spoken as (

    select * from {{ ref('stg_tmdb__spoken_languages') }}

),

movies as (

    select movie_id from {{ ref('stg_tmdb__movies') }}

),

final as (

    select
        spoken.movie_id,
        spoken.language_code,
        spoken.language_position,

    from spoken
    inner join movies on spoken.movie_id = movies.movie_id

)

select * from final
