-- How long movies run, by release decade and genre (and over all genres): average, median and the 10th and 90th
-- percentiles of the known runtimes. Runtimes TMDB does not know (0 or NULL) are counted apart, never averaged.
with

by_genre as (

    select * from {{ ref('movie_genre_groups') }}

),

final as (

    select
        cast(release_year // 10 * 10 as integer) as decade,
        genre_name,
        count(*) as movie_count,
        count(runtime_minutes) as movies_with_runtime,
        round({{ exact_avg("runtime_minutes") }}, 2) as avg_runtime_minutes,
        median(runtime_minutes) as median_runtime_minutes,
        quantile_cont(runtime_minutes, 0.1) as p10_runtime_minutes,
        quantile_cont(runtime_minutes, 0.9) as p90_runtime_minutes,
    from by_genre
    group by release_year // 10 * 10, genre_name

)

select * from final
