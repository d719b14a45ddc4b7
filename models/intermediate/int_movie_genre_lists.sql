-- One row per movie with its genres as ordered lists (for dim_movie and the moods model).
with

movie_genres as (

    select * from {{ ref('int_movie_genres') }}

),

aggregated as (

    select
        movie_id,
        {{ ordered_list('genre_id', 'genre_position') }} as genre_ids,
        {{ ordered_list('genre_name', 'genre_position') }} as genre_names,
        {{ arg_min('genre_id', 'genre_position') }} as primary_genre_id,
        {{ arg_min('genre_name', 'genre_position') }} as primary_genre_name,
        count(*) as genre_count,
        any_value(genre_source) as genre_source

    from movie_genres
    group by movie_id

)

select * from aggregated
