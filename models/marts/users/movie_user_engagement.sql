-- Our users next to TMDB: each known movie our users touched, with their engagement and TMDB's popularity,
-- momentum and votes, and the two rankings side by side.
with

interactions as (

    select
        movie_id,
        sum(views) as views,
        count(*) filter (where views > 0) as viewers,
        sum(likes) as likes,
        sum(dislikes) as dislikes,
        sum(watchlist_adds) as watchlist_adds
    from {{ ref('int_user_movie_interactions') }}
    group by movie_id

),

joined as (

    select
        interactions.movie_id,
        movies.title,
        interactions.views,
        interactions.viewers,
        interactions.likes,
        interactions.dislikes,
        interactions.watchlist_adds,
        ranking.user_ratings,
        ranking.bayesian_rating,
        movies.popularity as tmdb_popularity,
        momentum.popularity_change_7d_pct as tmdb_popularity_change_7d_pct,
        momentum.trend_class as tmdb_trend_class,
        movies.vote_average as tmdb_vote_average
    from interactions
    inner join {{ ref('dim_movie') }} as movies on interactions.movie_id = movies.movie_id
    left join {{ ref('movie_user_rating_ranking') }} as ranking on interactions.movie_id = ranking.movie_id
    left join {{ ref('popularity_momentum_latest') }} as momentum on interactions.movie_id = momentum.movie_id

)

select
    *,
    rank() over (order by views desc) as views_rank,
    rank() over (order by tmdb_popularity desc nulls last) as tmdb_popularity_rank
from joined
