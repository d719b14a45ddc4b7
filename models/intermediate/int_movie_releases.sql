-- The releases of each movie's latest details, one row per (country, release), by movie.
with

releases as (

    select * from {{ ref('stg_tmdb__release_dates') }}

),

release_countries as (

    select * from {{ ref('stg_tmdb__release_countries') }}

),

movies as (

    select * from {{ ref('int_movies') }}

),

resolved as (

    select
        movies.movie_id,
        release_countries.country_code,
        release_countries.country_position,
        releases.release_position,
        releases.release_type,
        releases.release_type_name,
        releases.release_date,
        releases.certification,
        releases.note,
        releases.language_code

    from releases
    inner join release_countries on releases.release_country_row_id = release_countries.release_country_row_id
    inner join movies on releases.details_row_id = movies.details_row_id

)

select * from resolved
