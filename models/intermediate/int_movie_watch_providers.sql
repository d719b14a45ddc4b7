-- The watch offers of each movie's latest details (JustWatch's data via TMDB), by movie.
with

offers as (

    select * from {{ ref('stg_tmdb__movie_watch_providers') }}

),

movies as (

    select * from {{ ref('int_movies') }}

),

resolved as (

    select
        movies.movie_id,
        offers.region_code,
        offers.monetization_type,
        offers.provider_id,
        offers.provider_name,
        offers.logo_path,
        offers.display_priority,
        offers.watch_link,
        movies.details_fetched_on

    from offers
    inner join movies on offers.details_row_id = movies.details_row_id

)

select * from resolved
