{#-
    Expressions shared by the models that measure a movie's popularity over calendar days
    (popularity_momentum_daily from fct_movie_status_daily, fct_movie_popularity_daily from the daily ID exports,
    fct_person_popularity_daily from the person exports) and the vote counts of movie_virality_daily.
-#}

{#- A window over the movie's (or `key`'s: person_id) calendar days from `from_days` to `to_days` before the row's
    `day_column` (0: up to the row itself). RANGE on the date, never "the previous rows": a day the movie was not
    observed is missing from the window, not treated as adjacent. -#}
{% macro days_before_window(day_column, from_days, to_days=0, key='movie_id') -%}
    {%- set last = 'current row' if to_days == 0 else 'interval ' ~ to_days ~ ' day preceding' -%}
    partition by {{ key }} order by {{ day_column }} range between interval {{ from_days }} day preceding and {{ last }}
{%- endmacro %}

{#- The 7-day average popularity (over the window `last_7_days`) and the previous week's (`previous_7_days`), each
    with the number of days observed, averaged exactly (exact_avg). -#}
{% macro weekly_popularity_columns() -%}
        {{ exact_avg('popularity') }} over last_7_days as popularity_avg_7d,
        count(popularity) over last_7_days as observed_days_7d,
        {{ exact_avg('popularity') }} over previous_7_days as popularity_avg_prev_7d,
        count(popularity) over previous_7_days as observed_days_prev_7d
{%- endmacro %}

{#- The columns of weekly_popularity_columns as the marts keep them: averages rounded to 6 places, observed days
    as integers. -#}
{% macro weekly_popularity_averages() -%}
        round(popularity_avg_7d, 6) as popularity_avg_7d,
        cast(observed_days_7d as integer) as observed_days_7d,
        round(popularity_avg_prev_7d, 6) as popularity_avg_prev_7d,
        cast(observed_days_prev_7d as integer) as observed_days_prev_7d
{%- endmacro %}

{#- True when the previous observation (`previous_day`, NULL for the first) is more than one calendar day before
    `day`: the days between were not observed. -#}
{% macro is_after_gap(previous_day, day) -%}
    coalesce({{ previous_day }} < {{ day }} - 1, false)
{%- endmacro %}

{#- Week-over-week % change of the 7-day average popularity; NULL unless both weeks have
    var momentum_min_days_per_week observed days and the previous week's average is above 0. -#}
{% macro popularity_change_7d_pct() -%}
    case
            when observed_days_7d >= {{ var('momentum_min_days_per_week') }}
             and observed_days_prev_7d >= {{ var('momentum_min_days_per_week') }}
             and popularity_avg_prev_7d > 0
                then round(100 * (popularity_avg_7d - popularity_avg_prev_7d) / popularity_avg_prev_7d, 4)
        end
{%- endmacro %}

{#- The trend class of a week-over-week % change: Surging, Rising, Stable, Declining,
    Falling by the trend_* vars of dbt_project.yml; NULL without a change. -#}
{% macro popularity_trend_class(change_pct) -%}
    case
            when {{ change_pct }} is null then null
            when {{ change_pct }} >= {{ var('trend_surging_min_pct') }} then 'Surging'
            when {{ change_pct }} >= {{ var('trend_rising_min_pct') }} then 'Rising'
            when {{ change_pct }} <= {{ var('trend_falling_max_pct') }} then 'Falling'
            when {{ change_pct }} <= {{ var('trend_declining_max_pct') }} then 'Declining'
            else 'Stable'
        end
{%- endmacro %}
