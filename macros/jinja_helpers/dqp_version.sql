{#- The dqp package version, recorded on every profile run. Keep in step with
    dbt_project.yml, pyproject.toml and dqp_runner/__init__.py
    (tests/unit/test_packaging.py checks). -#}
{% macro dqp_version() %}{{ return('0.4.0') }}{% endmacro %}
