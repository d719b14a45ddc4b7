-- Today's top gaining movies: the latest ingestion day's biggest week-over-week rises in popularity.
select
    rank,
    title,
    round(popularity, 1) as popularity,
    round(popularity_avg_7d, 1) as avg_7d,
    round(popularity_change_7d_pct, 1) as week_over_week_pct,
    trend_class,
from {{ ref('popularity_top_gainers') }}
order by rank
limit 10
