"""Reference retraining DAG, standing in for a team's own: train a small scikit-learn model on a
bundled dataset, log it to MLflow, register a new version — then the legit-scaler performance gate
decides whether the version is promoted."""
from datetime import datetime

from legitscaler_airflow import settings
from legitscaler_airflow.compat import dag, task
from legitscaler_airflow.performance_gate import performance_gate


@dag(
    dag_id="model_retraining",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["legit-scaler", "mlops"],
    doc_md=__doc__,
)
def model_retraining():
    @task
    def train_and_register() -> dict:
        import mlflow
        import mlflow.sklearn
        from sklearn.datasets import load_breast_cancer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        mlflow.set_tracking_uri(settings.get("legitscaler_mlflow_uri"))
        mlflow.set_experiment("model-retraining")
        x, y = load_breast_cancer(return_X_y=True)
        x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=7)
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        model.fit(x_train, y_train)
        name = settings.get("legitscaler_model_name")
        with mlflow.start_run() as run:
            mlflow.log_params({"model": "logistic-regression", "dataset": "sklearn breast_cancer", "max_iter": 1000})
            mlflow.log_metric("accuracy", float(model.score(x_test, y_test)))
            # cloudpickle: the format every MLflow 2.x/3.x sklearn flavour reads without extra packages
            kwargs = {"registered_model_name": name, "serialization_format": "cloudpickle"}
            try:  # MLflow 3.x names the logged model; 2.x calls it artifact_path
                info = mlflow.sklearn.log_model(model, name="model", **kwargs)
            except TypeError:
                info = mlflow.sklearn.log_model(model, artifact_path="model", **kwargs)
            run_id = run.info.run_id
        version = getattr(info, "registered_model_version", None)
        if version is None:
            client = mlflow.MlflowClient()
            version = max(int(v.version) for v in client.search_model_versions(f"name='{name}' and run_id='{run_id}'"))
        return {"model_name": name, "model_version": str(version), "run_id": run_id}

    performance_gate(train_and_register())


model_retraining()
