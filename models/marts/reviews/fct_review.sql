-- One row per review of a tracked movie: author, rating, when written and edited, and its length.
with

reviews as (

    select * from {{ ref('stg_tmdb__movie_reviews') }}

),

movies as (

    select * from {{ ref('dim_movie') }}

),

final as (

    select
        reviews.review_id,
        reviews.movie_id,
        reviews.author,
        reviews.author_rating,
        reviews.created_at,
        cast(reviews.created_at as date) as created_on,
        reviews.updated_at,
        coalesce(reviews.updated_at > reviews.created_at, false) as is_edited,
        reviews.content_length,
        reviews.review_url,
        reviews.fetched_on,

    from reviews
    inner join movies on reviews.movie_id = movies.movie_id

)

select * from final
