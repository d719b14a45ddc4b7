with

movie_genres as (

    select * from {{ ref('int_movie_genres') }}

),

genre_counts as (

    select movie_id, count(*) as genre_count from movie_genres group by movie_id

),

final as (

    select
        movie_genres.movie_id,
        movie_genres.genre_id,
        movie_genres.genre_position,
        movie_genres.genre_position = 1 as is_primary_genre,
        -- 1 / number of genres: sums of weighted measures over genres add up to the movie's total
        1.0 / genre_counts.genre_count as allocation_weight

    from movie_genres
    inner join genre_counts on movie_genres.movie_id = genre_counts.movie_id

)

select * from final
