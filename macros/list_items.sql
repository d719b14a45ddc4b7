{#-
    Expressions of the staging models of a nested list (dlt's child tables: `_dlt_list_idx` the item's index in its
    list, from 0; `_dlt_root_id` / `_dlt_parent_id` the row holding the list).
-#}

{#- The item's 1-based position in its list. -#}
{% macro list_position(list_index='_dlt_list_idx') -%}
    cast({{ list_index }} + 1 as integer)
{%- endmacro %}

{#- Keep the first item of each `key` in each list (TMDB may repeat an item): a QUALIFY clause. -#}
{% macro first_of_each_in_list(list_row, key, list_index='_dlt_list_idx') -%}
    qualify row_number() over (partition by {{ list_row }}, {{ key }} order by {{ list_index }}) = 1
{%- endmacro %}
