-- One movie's daily popularity with its momentum; gaps (days the movie was not ingested) show as has_gap.
select
    m.snapshot_date,
    round(m.popularity, 2) as popularity,
    round(m.popularity_change_1d, 2) as change_1d,
    round(m.popularity_avg_7d, 2) as avg_7d,
    m.observed_days_7d,
    round(m.popularity_change_7d_pct, 1) as week_over_week_pct,
    m.trend_class,
    m.has_gap,
from {{ ref('popularity_momentum_daily') }} as m
where m.movie_id = {{ var('trajectory_movie_id', 19995) }}
order by m.snapshot_date
