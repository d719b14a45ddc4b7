-- Each movie's latest details (stg_tmdb__movies) with its deletion: deleted when TMDB answered 404 on or
-- after the day of these details (a movie fetched again after its tombstone was restored on TMDB is not).
-- `details_row_id` resolves the details' child lists (credits, genres, keywords...) to the movie.
with

movies as (

    select * from {{ ref('stg_tmdb__movies') }}

),

tombstones as (

    select * from {{ ref('stg_tmdb__movie_tombstones') }}

),

flagged as (

    select
        movies.*,
        coalesce(tombstones.deleted_on >= movies.details_fetched_on, false) as is_deleted,
        case
            when tombstones.deleted_on >= movies.details_fetched_on then tombstones.deleted_on
        end as deleted_on

    from movies
    left join tombstones on movies.movie_id = tombstones.movie_id

)

select * from flagged
