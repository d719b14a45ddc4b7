with

production_countries as (

    select * from {{ ref('stg_tmdb__production_countries') }}

),

movies as (

    select movie_id from {{ ref('stg_tmdb__movies') }}

),

final as (

    select
        production_countries.movie_id,
        production_countries.country_code,
        production_countries.country_position,

    from production_countries
    inner join movies on production_countries.movie_id = movies.movie_id

)

select * from final
