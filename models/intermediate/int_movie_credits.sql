-- The credits of each movie's latest details, one row per credit (TMDB credit_id), by movie.
with

credits as (

    select * from {{ ref('stg_tmdb__credits') }}

),

movies as (

    select * from {{ ref('int_movies') }}

),

resolved as (

    select
        credits.credit_id,
        movies.movie_id,
        credits.credit_type,
        credits.person_id,
        credits.person_name,
        credits.gender_code,
        credits.known_for_department,
        credits.person_popularity,
        credits.profile_path,
        credits.character_name,
        credits.cast_order,
        credits.department,
        credits.job,
        movies.details_fetched_on

    from credits
    inner join movies on credits.details_row_id = movies.details_row_id
    -- a credit id in the latest details of two movies: the most recently fetched one
    qualify row_number() over (
        partition by credits.credit_id order by movies.details_fetched_on desc, credits.list_position
    ) = 1

)

select * from resolved
