{#-
    How good the user recommendations are, offline: each recorded evaluation (`recs-eval`, a time split) with its
    ratios to the popularity baseline on the same split, newest first in `evaluation_rank`.
-#}
with

evaluations as (

    select * from {{ ref('stg_evaluations__recommendations') }}

)

select
    evaluated_at,
    users_evaluated,
    relevant_items,
    cutoff,
    hit_rate,
    baseline_hit_rate,
    hit_rate / nullif(baseline_hit_rate, 0) as hit_rate_vs_baseline,
    ndcg,
    baseline_ndcg,
    ndcg / nullif(baseline_ndcg, 0) as ndcg_vs_baseline,
    settings is null as is_default_settings,
    settings,
    row_number() over (order by evaluated_at desc) as evaluation_rank

from evaluations
