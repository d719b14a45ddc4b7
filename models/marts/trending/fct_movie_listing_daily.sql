-- One row per list, region, day and movie: the movie's rank on TMDB's trending and now-playing lists, and
-- whether the warehouse tracks it (a movie of dim_movie: discovered among the most popular, or backfilled).
with

listings as (

    select * from {{ ref('stg_tmdb__movie_listings') }}

),

movies as (

    select * from {{ ref('dim_movie') }}

),

final as (

    select
        listings.list_name,
        listings.listing_region,
        listings.snapshot_date,
        listings.movie_id,
        listings.listing_rank,
        coalesce(movies.title, listings.title) as title,
        listings.popularity,
        listings.vote_count,
        movies.movie_id is not null as is_tracked,

    from listings
    left join movies on listings.movie_id = movies.movie_id

)

select * from final
