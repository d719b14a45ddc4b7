-- The recorded offline evaluations of the user recommendations, typed; one row per evaluation.
with

source as (

    {{ source_or_empty('evaluations', 'recs_evaluations', {
        'evaluated_at': 'timestamptz', 'users': 'bigint', 'relevant': 'bigint', 'hit_rate': 'double',
        'ndcg': 'double', 'baseline_hit_rate': 'double', 'baseline_ndcg': 'double', 'cutoff': 'bigint',
        'relevant_min_rating': 'double', 'settings': 'varchar'
    }) }}

)

select
    {{ utc_timestamp('evaluated_at') }} as evaluated_at,
    cast(users as bigint) as users_evaluated,
    cast(relevant as bigint) as relevant_items,
    cast(hit_rate as double) as hit_rate,
    cast(ndcg as double) as ndcg,
    cast(baseline_hit_rate as double) as baseline_hit_rate,
    cast(baseline_ndcg as double) as baseline_ndcg,
    cast(cutoff as integer) as cutoff,
    cast(relevant_min_rating as double) as relevant_min_rating,
    settings

from source
qualify row_number() over (partition by evaluated_at order by users desc) = 1
