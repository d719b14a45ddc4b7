-- TMDB's genre list, plus any genre a movie carries that the list does not (kept so the bridge always joins;
-- named by its id when no movie's details named it).
with

genres as (

    select * from {{ ref('stg_tmdb__genres') }}

),

movie_genres as (

    select * from {{ ref('int_movie_genres') }}

),

unlisted as (

    select
        genre_id,
        coalesce(max(genre_name), 'Genre ' || genre_id) as genre_name

    from movie_genres
    where genre_id not in (select genre_id from genres)
    group by genre_id

),

movie_counts as (

    select
        genre_id,
        count(*) as movie_count,
        count(*) filter (where genre_position = 1) as primary_movie_count

    from movie_genres
    group by genre_id

),

all_genres as (

    select genre_id, genre_name, true as is_in_genre_list from genres
    union all
    select genre_id, genre_name, false as is_in_genre_list from unlisted

),

final as (

    select
        all_genres.genre_id,
        all_genres.genre_name,
        all_genres.is_in_genre_list,
        coalesce(movie_counts.movie_count, 0) as movie_count,
        coalesce(movie_counts.primary_movie_count, 0) as primary_movie_count

    from all_genres
    left join movie_counts on all_genres.genre_id = movie_counts.genre_id

)

select * from final
