"""legit-scaler's Airflow building blocks: the performance gate task group and the production monitor.

Import from DAG files in the same DAG folder::

    from legitscaler_airflow.performance_gate import performance_gate
"""
