with

credits as (

    select * from {{ ref('int_movie_credits') }}

),

top_billed as (

    select
        credits.movie_id,
        credits.person_id,
        credits.credit_id,
        credits.cast_order,
        credits.character_name

    from credits
    where credits.credit_type = 'cast'
      and credits.cast_order < {{ var('top_billed_cast_size') }}
    -- an actor in two roles of the same movie: the better billed one
    qualify row_number() over (
        partition by credits.movie_id, credits.person_id order by credits.cast_order, credits.credit_id
    ) = 1

),

final as (

    select
        *,
        cast(row_number() over (partition by movie_id order by cast_order, credit_id) as integer) as billing_position
    from top_billed

)

select * from final
