"""Import paths that differ between Airflow 2.9+/2.10 and 3.x, chosen once at import time."""

try:  # Airflow 3.x: the task SDK
    from airflow.sdk import Variable, dag, task, task_group  # noqa: F401
    AIRFLOW_3 = True
except ImportError:  # Airflow 2.9 / 2.10
    from airflow.decorators import dag, task, task_group  # noqa: F401
    from airflow.models import Variable  # noqa: F401
    AIRFLOW_3 = False

try:  # the standard provider (Airflow 3.x, and 2.10 with the provider installed)
    from airflow.providers.standard.operators.bash import BashOperator  # noqa: F401
    from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator  # noqa: F401
except ImportError:  # Airflow 2.9
    from airflow.operators.bash import BashOperator  # noqa: F401
    from airflow.operators.trigger_dagrun import TriggerDagRunOperator  # noqa: F401

try:  # Airflow 3.x
    from airflow.sdk.exceptions import AirflowFailException  # noqa: F401
except ImportError:  # Airflow 2.x
    from airflow.exceptions import AirflowFailException  # noqa: F401
