"""environment.yml (conda users) must list exactly the pins of requirements.txt (pip users)."""

from tools.envsync import environment_pins, pinned_requirements


def test_environment_yml_lists_the_same_pins_as_requirements_txt():
    pip_pins = set(pinned_requirements())
    conda_pins = set(environment_pins())
    assert pip_pins - conda_pins == set(), "in requirements.txt only; run `make lock`"
    assert conda_pins - pip_pins == set(), "in environment.yml only; run `make lock`"


def test_every_pin_has_an_exact_version():
    assert all("==" in pin and pin.split("==")[1] for pin in pinned_requirements())


def test_the_user_fixed_packages_are_pinned():
    names = {pin.split("==")[0] for pin in pinned_requirements()}
    assert {"jupyterlab", "pandas", "matplotlib", "seaborn", "papermill", "nbconvert"} <= names
