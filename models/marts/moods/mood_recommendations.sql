-- For every classified movie, the movies most like it: shared moods, shared genres and keywords, rating.
-- Candidates come from a bounded pool so the pair count grows linearly with the catalog: for each (mood, genre)
-- bucket, its best-rated `mood_recommendation_pool` movies; a movie is compared with the pools of the buckets
-- it belongs to (its primary and secondary mood x its genres; a movie without genres is in genre 0).
with

moods as (
    select movie_id, primary_mood, secondary_mood
    from {{ ref('movie_moods') }}
    where status = 'classified'
),

movies as (
    select movie_id, title, genre_ids, keyword_names, vote_average, vote_count
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
        coalesce(movies.keyword_names, []) as keyword_names,
        coalesce(movies.vote_count, 0) as vote_count,
        case
            when movies.vote_count >= {{ var('rating_min_votes') }} then coalesce(movies.vote_average, 0) / 10
            else 0
        end as rating_score,
    from moods
    inner join movies on moods.movie_id = movies.movie_id
),

movie_mood as (
    select
        movie_id,
        genre_ids,
        rating_score,
        vote_count,
        unnest(list_filter([primary_mood, secondary_mood], mood -> mood is not null)) as mood,
    from labelled
),

buckets as (
    select
        movie_id,
        mood,
        rating_score,
        vote_count,
        unnest(case when len(genre_ids) = 0 then [0] else genre_ids end) as genre_id,
    from movie_mood
),

pool as (
    select movie_id, mood, genre_id
    from buckets
    qualify row_number() over (
        partition by mood, genre_id order by rating_score desc, vote_count desc, movie_id
    ) <= {{ var('mood_recommendation_pool') }}
),

candidate_ids as (
    select distinct
        source.movie_id,
        pool.movie_id as recommended_movie_id,
    from buckets as source
    inner join pool
        on source.mood = pool.mood
        and source.genre_id = pool.genre_id
        and source.movie_id != pool.movie_id
),

candidate_pairs as (
    select
        pairs.movie_id,
        pairs.recommended_movie_id,
        candidate.title as recommended_title,
        candidate.primary_mood as recommended_primary_mood,
        case
            when source.primary_mood = candidate.primary_mood then 1.0
            when source.primary_mood = candidate.secondary_mood
                or source.secondary_mood = candidate.primary_mood then 0.5
            else 0.25  -- only the secondary moods are shared
        end as mood_score,
        len(list_intersect(source.genre_ids, candidate.genre_ids))
        / greatest(len(list_distinct(list_concat(source.genre_ids, candidate.genre_ids))), 1) as genre_overlap,
        len(list_intersect(source.keyword_names, candidate.keyword_names))
        / greatest(len(list_distinct(list_concat(source.keyword_names, candidate.keyword_names))), 1)
            as keyword_overlap,
        candidate.rating_score,
    from candidate_ids as pairs
    inner join labelled as source on pairs.movie_id = source.movie_id
    inner join labelled as candidate on pairs.recommended_movie_id = candidate.movie_id
),

scored as (
    select
        *,
        {{ var('mood_weight') }} * mood_score
        + {{ var('genre_weight') }} * genre_overlap
        + {{ var('keyword_weight') }} * keyword_overlap
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
    round(keyword_overlap, 3) as keyword_overlap,
    round(rating_score, 3) as rating_score,
    round(similarity_score, 4) as similarity_score,
from scored
qualify recommendation_rank <= {{ var('mood_recommendations_per_movie') }}
