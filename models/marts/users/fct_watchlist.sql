{#-
    Watchlists from add/remove events: one row per spell of a movie on a user's list (added, then removed or still
    there). The state after an event is what the event says (add: on, remove: off), so the state before an event
    is what the previous event said: an add while on the list, or a remove while off it, changes nothing.
    Incremental on DuckDB (delete+insert on user and movie): an increment recomputes every spell of the (user,
    movie) pairs with an add or remove in the lookback window (macro events_window_start), from all their events.
-#}
{{ config(full_refresh=true if var('recs_holdout') else none) }}
{%- set window_start = events_window_start('cast(added_at as date)') %}
with

changes as (

    select
        user_id,
        movie_id,
        event_type,
        event_at,
        event_id,
        lag(event_type) over (partition by user_id, movie_id order by event_at, event_id) as previous_type

    from {{ ref('int_user_events') }}
    {%- if window_start is not none %}
    inner join (
        {{ event_keys_since(window_start, ['user_id', 'movie_id'], "event_type in ('watchlist_add', 'watchlist_remove')") }}
    ) as touched using (user_id, movie_id)
    {%- endif %}
    where event_type in ('watchlist_add', 'watchlist_remove')

),

effective as (

    select * from changes
    where (event_type = 'watchlist_add' and coalesce(previous_type, 'watchlist_remove') = 'watchlist_remove')
        or (event_type = 'watchlist_remove' and previous_type = 'watchlist_add')

),

spells as (

    select
        user_id,
        movie_id,
        event_type,
        event_at as added_at,
        lead(event_at) over (partition by user_id, movie_id order by event_at, event_id) as removed_at

    from effective

)

select
    user_id,
    movie_id,
    row_number() over (partition by user_id, movie_id order by added_at) as spell_number,
    added_at,
    removed_at,
    removed_at is null as is_current

from spells
where event_type = 'watchlist_add'
