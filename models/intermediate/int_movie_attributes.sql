-- The tracked attributes of each movie as last fetched, the input of the movie_attributes_snapshot.
-- `observed_at` dates a version: the ingestion day of the details, or of the tombstone for a deleted movie.
with

movies as (

    select * from {{ ref('int_movies') }}

),

attributes as (

    select
        movie_id,
        title,
        overview,
        budget_usd,
        revenue_usd,
        runtime_minutes,
        release_status,
        release_date,
        collection_id,
        collection_name,
        is_deleted,
        cast(coalesce(deleted_on, details_fetched_on) as timestamp) as observed_at

    from movies

)

select * from attributes
