-- Every movie's genres, one row per movie and genre: from its details when the warehouse has them, else
-- from the `genre_ids` of its latest listing (named from TMDB's genre list). Details replace the listing's
-- genres as soon as they arrive.
with

detail_genres as (

    select * from {{ ref('stg_tmdb__movie_genres') }}

),

detailed_movies as (

    select movie_id, details_row_id from {{ ref('int_movies') }}

),

listings as (

    select * from {{ ref('int_movie_latest_listing') }}

),

listing_genre_ids as (

    select * from {{ ref('stg_tmdb__discover_genre_ids') }}

),

genre_list as (

    select * from {{ ref('stg_tmdb__genres') }}

),

from_details as (

    select
        detailed_movies.movie_id,
        detail_genres.genre_id,
        detail_genres.genre_name,
        detail_genres.genre_position,
        'details' as genre_source
    from detail_genres
    inner join detailed_movies on detail_genres.details_row_id = detailed_movies.details_row_id

),

from_listing as (

    select
        listings.movie_id,
        listing_genre_ids.genre_id,
        genre_list.genre_name,
        listing_genre_ids.genre_position,
        'listing' as genre_source
    from listings
    inner join listing_genre_ids on listings.discover_row_id = listing_genre_ids.discover_row_id
    left join genre_list on listing_genre_ids.genre_id = genre_list.genre_id
    where listings.movie_id not in (select movie_id from detailed_movies)

)

select * from from_details
union all
select * from from_listing
