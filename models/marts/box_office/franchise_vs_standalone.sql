-- Franchise movies (in a TMDB collection) against standalone movies.
with

movies as (

    select * from {{ ref('movie_performance') }}

),

final as (

    select
        franchise_type,
        count(*) as movie_count,
        round(100 * count(*) / sum(count(*)) over (), 4) as movie_share_pct,
        count(distinct collection_id) as collection_count,
        count(profit_usd) as movies_with_financials,
        sum(revenue_usd) as total_revenue_usd,
        round(100 * sum(revenue_usd) / sum(sum(revenue_usd)) over (), 4) as revenue_share_pct,
        round(avg(revenue_usd), 2) as avg_revenue_usd,
        round(avg(budget_usd), 2) as avg_budget_usd,
        sum(profit_usd) as total_profit_usd,
        round(median(roi), 6) as median_roi,
        round(avg(case when is_profitable then 1.0 when not is_profitable then 0.0 end) * 100, 4) as profitable_pct,
        round(avg(vote_average), 4) as avg_vote_average,

    from movies
    group by franchise_type

)

select * from final
