-- One row per movie: what it cost and earned. Unknown amounts (TMDB's 0) are NULL, so profit needs both
-- budget and revenue, and ROI needs a known, non-zero budget.
with

movies as (

    select * from {{ ref('int_movies') }}

),

final as (

    select
        movie_id,
        release_date,
        budget_usd,
        revenue_usd,
        revenue_usd - budget_usd as profit_usd,
        round((revenue_usd - budget_usd) / budget_usd, 6) as roi,
        budget_usd is not null as has_known_budget,
        revenue_usd is not null as has_known_revenue,
        budget_usd is not null and revenue_usd is not null as has_known_financials,
        case
            when budget_usd is null or revenue_usd is null then null
            else revenue_usd > budget_usd
        end as is_profitable,
        is_deleted,
        details_fetched_on

    from movies

)

select * from final
