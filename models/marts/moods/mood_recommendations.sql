-- For each classified movie, the movies most like it: same mood first, then shared genres, then rating.
with

moods as (
    select movie_id, primary_mood, secondary_mood
    from {{ ref('movie_moods') }}
    where status = 'classified'
),

movies as (
    select movie_id, title, genre_ids, vote_average, vote_count
    from {{ ref('dim_movie') }}
    where not is_deleted
),

labelled as (
    select
        moods.movie_id,
        moods.primary_mood,
        moods.secondary_mood,
        movies.title,
        coalesce(movies.genre_ids, []) as genre_ids,
        movies.vote_average,
        movies.vote_count,
    from moods
    inner join movies on moods.movie_id = movies.movie_id
),

candidate_pairs as (
    -- only pairs sharing at least one mood: keeps the pair count far below n squared
    select
        source.movie_id,
        candidate.movie_id as recommended_movie_id,
        candidate.title as recommended_title,
        candidate.primary_mood as recommended_primary_mood,
        (case when source.primary_mood = candidate.primary_mood then 1.0 else 0.5 end) as mood_score,
        len(list_intersect(source.genre_ids, candidate.genre_ids))
        / greatest(len(list_distinct(list_concat(source.genre_ids, candidate.genre_ids))), 1) as genre_overlap,
        case
            when candidate.vote_count >= {{ var('rating_min_votes') }} then coalesce(candidate.vote_average, 0) / 10
            else 0
        end as rating_score,
    from labelled as source
    inner join labelled as candidate
        on source.movie_id != candidate.movie_id
        and (
            source.primary_mood = candidate.primary_mood
            or source.primary_mood = candidate.secondary_mood
            or source.secondary_mood = candidate.primary_mood
        )
),

scored as (
    select
        *,
        {{ var('mood_weight') }} * mood_score
        + {{ var('genre_weight') }} * genre_overlap
        + {{ var('rating_weight') }} * rating_score as similarity_score,
    from candidate_pairs
)

select
    movie_id,
    row_number() over (
        partition by movie_id order by similarity_score desc, rating_score desc, recommended_movie_id
    ) as recommendation_rank,
    recommended_movie_id,
    recommended_title,
    recommended_primary_mood,
    round(mood_score, 3) as mood_score,
    round(genre_overlap, 3) as genre_overlap,
    round(rating_score, 3) as rating_score,
    round(similarity_score, 4) as similarity_score,
from scored
qualify recommendation_rank <= {{ var('mood_recommendations_per_movie') }}
