-- The catalogue's headline figures, one row.
with

movies as (

    select * from {{ ref('movie_performance') }}

),

status as (

    select * from {{ ref('fct_movie_status_daily') }}

),

deleted as (

    select count(*) as deleted_movies from {{ ref('dim_movie') }} where is_deleted

),

days as (

    select
        count(distinct snapshot_date) as ingestion_days,
        min(snapshot_date) as first_ingestion_day,
        max(snapshot_date) as latest_ingestion_day,
    from status

),

totals as (

    select
        count(*) as movies,
        count(budget_usd) as movies_with_budget,
        count(revenue_usd) as movies_with_revenue,
        count(profit_usd) as movies_with_financials,
        sum(revenue_usd) as total_revenue_usd,
        sum(profit_usd) as total_profit_usd,
        round(median(roi), 6) as median_roi,
        round(avg(vote_average), 4) as avg_vote_average,
        count(collection_id) as franchise_movies,
        count(distinct collection_id) as collections,
    from movies

)

select
    totals.*,
    deleted.deleted_movies,
    days.ingestion_days,
    days.first_ingestion_day,
    days.latest_ingestion_day,
from totals
cross join deleted
cross join days
