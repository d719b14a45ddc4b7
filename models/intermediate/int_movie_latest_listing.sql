-- Each movie as its most recent listing (discover) showed it: what the warehouse knows of a movie whose
-- details never arrived (not fetched yet, or answered 404).
with

listings as (

    select * from {{ ref('stg_tmdb__discover_results') }}

),

latest as (

    select *
    from listings
    qualify row_number() over (partition by movie_id order by snapshot_date desc, load_id desc) = 1

)

select
    movie_id,
    snapshot_date as listed_on,
    discover_row_id,
    title,
    original_title,
    original_language_code,
    overview,
    release_date,
    popularity,
    vote_count,
    vote_average,
    is_adult,
    has_video,
    poster_path,
    backdrop_path
from latest
