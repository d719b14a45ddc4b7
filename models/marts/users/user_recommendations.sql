{#-
    The top `recs_per_user` (10) movies each user has not touched yet (no event naming them), from three signals
    blended into one score:

    - collaborative filtering, item-item on ratings: each user's latest ratings centred on the user's mean
      (adjusted cosine); the similarity of two movies is the cosine of their centred rating vectors shrunk by the
      number of co-raters n: cos x n / (n + recs_shrinkage), over each user's `recs_max_user_ratings` (20) most
      recent ratings (a very active user's older ones are left out, see recent_ratings), for pairs of movies
      with at least `recs_min_co_raters` (2) co-raters; each movie keeps its `recs_neighbours` (30) most similar
      movies. A candidate's CF score for a user is the sum s over those rated movies of similarity x the user's
      centred rating, squashed to s / (|s| + 1) (-1..1: weak evidence stays weak);
    - the taste profile (user_taste_profile): the user's share of the candidate's genres plus the share of its
      primary mood, halved (0..1). It is what a user without ratings (cold start) is recommended by;
    - popularity: the percentile of the movie among known movies by how many of our users touched it (TMDB's
      popularity breaking ties), 0..1.

    score = recs_cf_weight x CF + recs_profile_weight x profile + recs_popularity_weight x popularity.
    Candidates: the CF neighbours of the user's rated movies plus the `recs_candidate_pool` (200) movies most
    touched by our users and most popular on TMDB; known, not deleted movies only.
-#}
with

-- the moods where they exist: local Spark runs no Python model, so there movie_moods is empty (README, "What runs where")
movie_moods as (

    {{ ref_or_empty('movie_moods', {'movie_id': 'bigint', 'primary_mood': 'varchar', 'secondary_mood': 'varchar'}) }}

),

ratings as (

    select
        user_id,
        movie_id,
        rating - avg(rating) over (partition by user_id) as deviation,
        row_number() over (partition by user_id order by rated_at desc, movie_id) as recency_rank
    from {{ ref('fct_rating') }}

),

-- A user with n ratings makes n x (n - 1) co-rating pairs: a few very active users would make most of them (and
-- most of the time). Similarities and CF scores read each user's `recs_max_user_ratings` most recent ratings
-- (Mahout's maxPrefsPerUser); the user's mean stays the mean of all their ratings.
recent_ratings as (

    select user_id, movie_id, deviation
    from ratings
    where recency_rank <= {{ var('recs_max_user_ratings') }}

),

norms as (

    select movie_id, sqrt(sum(deviation * deviation)) as norm
    from recent_ratings
    group by movie_id
    having sum(deviation * deviation) > 0

),

-- each unordered pair once (half the join and the aggregation), then both directions
pair_halves as (

    select a.movie_id, b.movie_id as neighbour_id, sum(a.deviation * b.deviation) as dot, count(*) as co_raters
    from recent_ratings as a
    inner join recent_ratings as b on a.user_id = b.user_id and a.movie_id < b.movie_id
    group by a.movie_id, b.movie_id
    having count(*) >= {{ var('recs_min_co_raters') }}

),

pairs as (

    select movie_id, neighbour_id, dot, co_raters from pair_halves
    union all
    select neighbour_id, movie_id, dot, co_raters from pair_halves

),

similarities as (

    select
        pairs.movie_id,
        pairs.neighbour_id,
        -- sums of floats come out in the order the hash aggregate met their terms: rounded to 12 places so that
        -- ties (neighbours, ranks) break on the ids, not on the last bit, run after run
        round(pairs.dot / (a.norm * b.norm) * pairs.co_raters / (pairs.co_raters + {{ var('recs_shrinkage') }}), 12)
            as similarity
    from pairs
    inner join norms as a on pairs.movie_id = a.movie_id
    inner join norms as b on pairs.neighbour_id = b.movie_id
    qualify row_number() over (partition by pairs.movie_id order by similarity desc, pairs.neighbour_id)
        <= {{ var('recs_neighbours') }}

),

cf_sums as (

    select
        recent_ratings.user_id,
        similarities.neighbour_id as movie_id,
        sum(similarities.similarity * recent_ratings.deviation) as cf_sum
    from recent_ratings
    inner join similarities on recent_ratings.movie_id = similarities.movie_id
    where similarities.similarity > 0
    group by 1, 2

),

cf as (

    -- weak evidence stays weak: x / (|x| + 1) maps the sum into -1..1 without stretching it to the user's maximum
    select user_id, movie_id, round(cf_sum / (abs(cf_sum) + 1), 12) as cf_score
    from cf_sums

),

touched as (

    select movie_id, count(*) as users from {{ ref('int_user_movie_interactions') }} group by movie_id

),

movies as (

    select
        dim_movie.movie_id,
        dim_movie.popularity,
        coalesce(touched.users, 0) as users,
        percent_rank() over (order by coalesce(touched.users, 0), dim_movie.popularity nulls first) as popularity_score,
        moods.primary_mood
    from {{ ref('dim_movie') }} as dim_movie
    left join touched on dim_movie.movie_id = touched.movie_id
    left join movie_moods as moods on dim_movie.movie_id = moods.movie_id
    where not dim_movie.is_deleted

),

pool as (

    select movie_id
    from movies
    qualify row_number() over (order by users desc, popularity desc nulls last, movie_id)
        <= {{ var('recs_candidate_pool') }}

),

users as (

    select user_id from {{ ref('dim_user') }}

),

candidates as (

    select users.user_id, pool.movie_id from users cross join pool
    union
    select cf.user_id, cf.movie_id from cf inner join users on cf.user_id = users.user_id

),

unseen as (

    select candidates.user_id, candidates.movie_id
    from candidates
    inner join movies on candidates.movie_id = movies.movie_id
    anti join {{ ref('int_user_movie_interactions') }} as seen
        on candidates.user_id = seen.user_id and candidates.movie_id = seen.movie_id

),

genre_match as (

    select unseen.user_id, unseen.movie_id, round(sum(profile.share), 12) as genre_share
    from unseen
    inner join {{ ref('bridge_movie_genre') }} as bridge on unseen.movie_id = bridge.movie_id
    inner join {{ ref('dim_genre') }} as genres on bridge.genre_id = genres.genre_id
    inner join {{ ref('user_taste_profile') }} as profile
        on unseen.user_id = profile.user_id and profile.dimension = 'genre' and profile.label = genres.genre_name
    group by 1, 2

),

scored as (

    select
        unseen.user_id,
        unseen.movie_id,
        coalesce(cf.cf_score, 0) as cf_score,
        (least(coalesce(genre_match.genre_share, 0), 1) + coalesce(mood.share, 0)) / 2 as profile_score,
        movies.popularity_score
    from unseen
    inner join movies on unseen.movie_id = movies.movie_id
    left join cf on unseen.user_id = cf.user_id and unseen.movie_id = cf.movie_id
    left join genre_match on unseen.user_id = genre_match.user_id and unseen.movie_id = genre_match.movie_id
    left join {{ ref('user_taste_profile') }} as mood
        on unseen.user_id = mood.user_id and mood.dimension = 'mood' and mood.label = movies.primary_mood

),

ranked as (

    select
        *,
        round(
            {{ var('recs_cf_weight') }} * cf_score
            + {{ var('recs_profile_weight') }} * profile_score
            + {{ var('recs_popularity_weight') }} * popularity_score,
            12
        ) as score
    from scored

)

select
    user_id,
    movie_id,
    row_number() over (partition by user_id order by score desc, movie_id) as recommendation_rank,
    score,
    cf_score,
    profile_score,
    popularity_score
from ranked
qualify recommendation_rank <= {{ var('recs_per_user') }}
