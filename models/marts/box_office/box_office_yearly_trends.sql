-- Box office and catalogue by release year.
with

movies as (

    select * from {{ ref('movie_performance') }}

),

yearly as (

    select
        release_year,
        count(*) as movies_released,
        count(profit_usd) as movies_with_financials,
        sum(budget_usd) as total_budget_usd,
        sum(revenue_usd) as total_revenue_usd,
        sum(profit_usd) as total_profit_usd,
        round(median(roi), 6) as median_roi,
        round(avg(vote_average), 4) as avg_vote_average,
        round(avg(runtime_minutes), 2) as avg_runtime_minutes,

    from movies
    where release_year is not null
    group by release_year

),

final as (

    select
        *,
        round(
            100 * (total_revenue_usd - lag(total_revenue_usd) over by_year)
            / nullif(lag(total_revenue_usd) over by_year, 0),
            4
        ) as revenue_change_pct,
    from yearly
    window by_year as (order by release_year)

)

select * from final
