{#-
    One row per user and movie they touched: counts per kind and a taste weight, what the taste profiles and the
    recommendations read. The weight says how much an interaction tells about taste: a view 1, a comment 1, a
    like or a watchlist add 2, a rating its distance above the middle of the scale (rating - 2.5, at least 0);
    a dislike, a removal or a search tells nothing positive (0).
    Incremental on DuckDB (delete+insert on user and movie): an increment recomputes, from all their events, the
    (user, movie) pairs with an event in the lookback window (macro events_window_start).
-#}
{{ config(full_refresh=true if var('recs_holdout') else none) }}
{%- set window_start = events_window_start('cast(last_interaction_at as date)') %}
with

events as (

    select * from {{ ref('int_user_events') }}
    {%- if window_start is not none %}
    inner join ({{ event_keys_since(window_start, ['user_id', 'movie_id'], 'movie_id is not null') }}) as touched
        using (user_id, movie_id)
    {%- endif %}
    where movie_id is not null

)

select
    user_id,
    movie_id,
    min(event_at) as first_interaction_at,
    max(event_at) as last_interaction_at,
    count(*) filter (where event_type = 'view') as views,
    count(*) filter (where event_type = 'rate') as ratings,
    count(*) filter (where event_type = 'like') as likes,
    count(*) filter (where event_type = 'dislike') as dislikes,
    count(*) filter (where event_type = 'watchlist_add') as watchlist_adds,
    count(*) filter (where event_type = 'comment') as comments,
    sum(
        case event_type
            when 'view' then 1.0
            when 'comment' then 1.0
            when 'like' then 2.0
            when 'watchlist_add' then 2.0
            when 'rate' then greatest(rating - 2.5, 0.0)
            else 0.0
        end
    ) as taste_weight

from events
group by user_id, movie_id
