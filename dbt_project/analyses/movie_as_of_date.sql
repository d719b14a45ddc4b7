-- What did we know about a movie on a given day? (dbt compile --vars '{as_of_movie_id: 19995, as_of_date: 2017-01-25}')
select
    movie_id,
    version_number,
    valid_from,
    valid_to,
    title,
    budget_usd,
    revenue_usd,
    runtime_minutes,
    release_status,
    is_deleted,
from {{ ref('dim_movie_history') }}
where movie_id = {{ var('as_of_movie_id', 19995) }}
  and date '{{ var("as_of_date", "2017-01-25") }}' >= valid_from
  and date '{{ var("as_of_date", "2017-01-25") }}' < valid_to
