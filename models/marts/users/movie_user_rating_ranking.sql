{#-
    Movies ranked by our users' ratings, Bayesian-averaged: (C x m + sum of ratings) / (C + ratings), with m the
    mean of all latest ratings and C = `user_rating_prior_count` (10): a movie with few ratings stays near the
    mean until enough users agree. Next to it, TMDB's vote average (0-10, halved to our 0.5-5 scale) and rank
    among the same movies. Only movies the warehouse knows.
-#}
with

ratings as {{ cte_not_materialized() }} (  -- read twice

    select movie_id, rating from {{ ref('fct_rating') }}

),

prior as (

    select avg(rating) as mean_rating from ratings

),

per_movie as (

    select movie_id, count(*) as user_ratings, avg(rating) as average_user_rating, sum(rating) as rating_sum
    from ratings
    group by movie_id

),

scored as (

    select
        per_movie.movie_id,
        movies.title,
        per_movie.user_ratings,
        per_movie.average_user_rating,
        ({{ var('user_rating_prior_count') }} * prior.mean_rating + per_movie.rating_sum)
            / ({{ var('user_rating_prior_count') }} + per_movie.user_ratings) as bayesian_rating,
        movies.vote_average as tmdb_vote_average,
        movies.vote_count as tmdb_vote_count
    from per_movie
    cross join prior
    inner join {{ ref('dim_movie') }} as movies on per_movie.movie_id = movies.movie_id

)

select
    movie_id,
    title,
    user_ratings,
    average_user_rating,
    bayesian_rating,
    rank() over (order by bayesian_rating desc, user_ratings desc) as user_rank,
    tmdb_vote_average,
    tmdb_vote_average / 2 as tmdb_vote_average_5,
    tmdb_vote_count,
    rank() over (order by tmdb_vote_average desc nulls last) as tmdb_rank

from scored
