-- The catalogue's leaderboards in one long table: one row per ranking, rank and movie.
with

movies as (

    select * from {{ ref('movie_performance') }}

),

candidates as (

    select 'highest_revenue' as ranking, movie_id, title, revenue_usd as metric_value, revenue_usd as tie_breaker
    from movies where revenue_usd is not null

    union all
    select 'highest_profit', movie_id, title, profit_usd, revenue_usd
    from movies where profit_usd is not null

    union all
    select 'best_roi', movie_id, title, roi, budget_usd
    from movies where roi is not null and budget_usd >= {{ var('roi_min_budget_usd') }}

    union all
    select 'worst_roi', movie_id, title, -roi, budget_usd
    from movies where roi is not null and budget_usd >= {{ var('roi_min_budget_usd') }}

    union all
    select 'highest_rated', movie_id, title, vote_average, vote_count
    from movies where vote_average is not null and vote_count >= {{ var('rating_min_votes') }}

    union all
    select 'most_popular', movie_id, title, popularity, vote_count
    from movies where popularity is not null

    union all
    select 'most_voted', movie_id, title, vote_count, vote_average
    from movies where vote_count is not null

),

ranked as (

    select
        ranking,
        cast(row_number() over (
            partition by ranking order by metric_value desc, tie_breaker desc nulls last, movie_id
        ) as integer) as rank,
        movie_id,
        title,
        -- worst_roi ranks the most negative ROI first: report the ROI itself
        case when ranking = 'worst_roi' then -metric_value else metric_value end as metric_value,
    from candidates

)

select * from ranked
where rank <= {{ var('ranking_top_n') }}
