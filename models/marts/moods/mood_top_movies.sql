-- For each mood, the best-rated movies having it (as primary or secondary mood).
with

moods as (
    select movie_id, primary_mood as mood, true as is_primary_mood
    from {{ ref('movie_moods') }}
    where status = 'classified'
    union all
    select movie_id, secondary_mood as mood, false as is_primary_mood
    from {{ ref('movie_moods') }}
    where status = 'classified' and secondary_mood is not null
),

rated as (
    select movie_id, title, release_year, vote_average, vote_count
    from {{ ref('dim_movie') }}
    where not is_deleted and vote_count >= {{ var('rating_min_votes') }}
)

select
    moods.mood,
    row_number() over (
        partition by moods.mood order by rated.vote_average desc, rated.vote_count desc, moods.movie_id
    ) as mood_rank,
    moods.movie_id,
    rated.title,
    rated.release_year,
    rated.vote_average,
    rated.vote_count,
    moods.is_primary_mood,
from moods
inner join rated on moods.movie_id = rated.movie_id
qualify mood_rank <= {{ var('ranking_top_n') }}
