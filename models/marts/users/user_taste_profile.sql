{#-
    Each user's taste by genre and by mood: the taste weights of the movies they touched
    (int_user_movie_interactions) summed per genre of the movie (every genre it has) and per mood (its primary
    mood, and its secondary at half weight), with each label's share of the user's total and its rank.
-#}
with

-- the moods where they exist: local Spark runs no Python model, so there movie_moods is empty (README, "What runs where")
movie_moods as (

    {{ ref_or_empty('movie_moods', {'movie_id': 'bigint', 'primary_mood': 'varchar', 'secondary_mood': 'varchar'}) }}

),

interactions as {{ cte_not_materialized() }} (  -- read three times

    select user_id, movie_id, taste_weight
    from {{ ref('int_user_movie_interactions') }}
    where taste_weight > 0

),

genres as (

    select
        interactions.user_id,
        'genre' as dimension,
        dim_genre.genre_name as label,
        sum(interactions.taste_weight) as weight
    from interactions
    inner join {{ ref('bridge_movie_genre') }} as bridge on interactions.movie_id = bridge.movie_id
    inner join {{ ref('dim_genre') }} as dim_genre on bridge.genre_id = dim_genre.genre_id
    where dim_genre.genre_name is not null
    group by 1, 2, 3

),

mood_weights as (

    select interactions.user_id, moods.primary_mood as mood, interactions.taste_weight as weight
    from interactions
    inner join movie_moods as moods on interactions.movie_id = moods.movie_id
    where moods.primary_mood is not null

    union all

    select interactions.user_id, moods.secondary_mood, interactions.taste_weight * 0.5
    from interactions
    inner join movie_moods as moods on interactions.movie_id = moods.movie_id
    where moods.secondary_mood is not null

),

moods as (

    select user_id, 'mood' as dimension, mood as label, sum(weight) as weight
    from mood_weights
    group by 1, 2, 3

),

combined as (

    select * from genres
    union all
    select * from moods

)

select
    user_id,
    dimension,
    label,
    weight,
    weight / sum(weight) over (partition by user_id, dimension) as share,
    row_number() over (partition by user_id, dimension order by weight desc, label) as taste_rank

from combined
