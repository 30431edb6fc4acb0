"""The workspace file's schema, version 2: typed msgspec Structs, one per JSON object.

msgspec decodes JSON straight into these types and refuses anything else (a string for a
number, a missing or unknown key, a number past a bound, a list too long) with the path of the
bad field, e.g. "Expected `float`, got `str` - at `$.dataset.points[3][0]`". Nothing in a file
is ever executed. What types cannot say (weights that fit the network, labels within the class
count) is checked by playground.core.workspace_checks with the same kind of path.

Adding state (a problem type, switched-off neurons, a view setting) is one field here, a bump
of FORMAT_VERSION and one step in workspace_migrations.MIGRATIONS that fills the field in for
files of the version before.
"""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import msgspec

from playground.core.dataset_state import MAX_POINTS
from playground.core.limits import ACCEPTED

APP_ID = "micrograd-playground"  # the "app" key: what wrote the file
FORMAT_VERSION = 2  # the "format_version" key of the files this version writes
MAX_FILE_BYTES = 256 * 1024 * 1024  # larger files are refused before they are read
MAX_HISTORY = 5_000_000  # loss history entries: hours of training at full speed
MAX_COUNT = 2**62  # steps, epochs, seeds: anything larger is no real count
_MAX_LAYERS = int(ACCEPTED.hidden_layers[1]) + 1  # hidden layers and the output layer
_MAX_NEURONS = int(ACCEPTED.neurons[1])
_MAX_FEATURES = 16  # more than features.FEATURES has: the spec names the unknown one
_MAX_CLASSES = int(ACCEPTED.classes[1])
_MAX_PARAMS = _MAX_LAYERS * (_MAX_NEURONS + 1) * max(_MAX_NEURONS, _MAX_FEATURES)
_MAX_NAME = 200  # characters in a name (a preset, an optimizer, a file name)
MAX_EXPRESSION = 500  # characters in a function's typed formula
Kind = Literal["binary", "classes", "regression", "function"]  # problems.KINDS

# a finite float: NaN and the infinities fail the bounds, "1e999" is out of range already
Finite = Annotated[float, msgspec.Meta(ge=-sys.float_info.max, le=sys.float_info.max)]
Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_COUNT)]
Name = Annotated[str, msgspec.Meta(max_length=_MAX_NAME)]
# a float that may be NaN (an empty split's loss) or infinite (no best loss yet)
Number = Finite | Literal["nan", "inf", "-inf"]
Floats = Annotated[list[Finite], msgspec.Meta(max_length=_MAX_PARAMS)]
# a history column: base64 of little-endian float64 (or int64) values, exact with NaN and inf
Column = Annotated[bytes, msgspec.Meta(max_length=8 * MAX_HISTORY)]


class _Object(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=False):
    """A JSON object whose keys are exactly the fields (an unknown key is an error)."""


class Header(msgspec.Struct):
    """The two keys read first, to pick a decoder or migrations (other keys skipped)."""

    app: str | None = None
    format_version: int | None = None


class PresetDoc(_Object):
    """The preset the points were drawn from (data_controls shows its settings)."""

    name: Name
    points: Count
    noise: Finite
    seed: Count
    kind: Kind  # the problem type it belongs to (the dataset's)
    classes: Count  # the classes it drew (2 for two, 0 for the value types)
    expression: Annotated[str, msgspec.Meta(max_length=MAX_EXPRESSION)]  # a typed f(x), or ""
    x_range: tuple[Finite, Finite]  # a function's x, low to high


class DatasetDoc(_Object):
    """The points of one problem type and their split; each list has an entry per point,
    labels for the class types only and values for a regression only (else empty)."""

    kind: Kind  # two classes, several, a value at each point, or samples (x, y) of f(x)
    classes: Count  # 2 for "binary", 3 to 8 for "classes", 0 for the value types
    points: Annotated[list[tuple[Finite, Finite]], msgspec.Meta(max_length=MAX_POINTS)]
    labels: Annotated[list[int], msgspec.Meta(max_length=MAX_POINTS)]
    values: Annotated[list[Finite], msgspec.Meta(max_length=MAX_POINTS)]
    test: Annotated[list[bool], msgspec.Meta(max_length=MAX_POINTS)]  # True: a test point
    test_fraction: Finite
    seed: Count  # seeds the split when the fraction changes
    preset: PresetDoc | None = None
    source: Name | None = None  # the CSV file the points came from


class NetworkDoc(_Object):
    """The network's shape (spec.NetworkSpec) and the hidden neurons switched off."""

    features: Annotated[list[Name], msgspec.Meta(max_length=_MAX_FEATURES)]
    hidden: Annotated[list[int], msgspec.Meta(max_length=_MAX_LAYERS)]
    activations: Annotated[list[Name], msgspec.Meta(max_length=_MAX_LAYERS)]
    # (hidden layer, neuron), both from 0: held at zero, their weights kept
    switched_off: Annotated[list[tuple[Count, Count]],
                            msgspec.Meta(max_length=_MAX_LAYERS * _MAX_NEURONS)]


class TrainingDoc(_Object):
    """Every training setting (spec.TrainingConfig, field for field)."""

    learning_rate: Finite
    batch_size: Count
    optimizer: Name
    loss: Name
    regularization: Name
    reg_rate: Finite
    seed: Count


class HiddenChoiceDoc(_Object):
    """The hidden layer the hidden space shows, and two of its neurons (None: the first two
    principal components)."""

    layer: Count
    neurons: tuple[Count, Count] | None = None


class ViewDoc(_Object):
    """How the window shows things."""

    log_scale: bool = False  # the loss chart's y axis
    discretize: bool = False  # the heatmap shows the predicted class only
    show_test: bool = True  # the test points are drawn
    show_parts: bool = False  # a function: each last hidden neuron's part of the curve
    point_losses: bool = False  # the points sized by their loss
    hidden_space: bool = False  # the hidden-layer space beside the plot
    hidden_choice: HiddenChoiceDoc | None = None  # its layer and axes (None: the first)


class LayerDoc(_Object):
    """One layer's weight (fan_in rows of fan_out) and bias (fan_out)."""

    weight: Annotated[list[Annotated[list[Finite], msgspec.Meta(max_length=_MAX_NEURONS)]],
                      msgspec.Meta(max_length=max(_MAX_NEURONS, _MAX_FEATURES))]
    bias: Annotated[list[Finite], msgspec.Meta(max_length=_MAX_NEURONS)]


class RandomStateDoc(_Object):
    """numpy's PCG64 bit generator state, as bit_generator.state gives it."""

    bit_generator: Literal["PCG64"]
    state: int
    inc: int
    has_uint32: int
    uinteger: int


class _OptimizerDoc(_Object, tag_field="kind"):
    """An optimizer's state; its "kind" is the optimizer's name (training.optimizer)."""


class SgdDoc(_OptimizerDoc, tag="sgd"):
    """Plain SGD keeps nothing between steps."""


class MomentumDoc(_OptimizerDoc, tag="momentum"):
    """SGD with momentum's velocity, one value per parameter."""

    velocity: Floats


class AdamDoc(_OptimizerDoc, tag="adam"):
    """Adam's moments, one value per parameter each, and its step count."""

    m: Floats
    v: Floats
    t: Count


class AdamWDoc(AdamDoc, tag="adamw"):
    """AdamW keeps what Adam keeps."""


OptimizerDoc = SgdDoc | MomentumDoc | AdamDoc | AdamWDoc


class SplitMetricsDoc(_Object):
    """One split's metrics at the last evaluation (problems.SplitMetrics; NaN where they do
    not apply or the split is empty)."""

    loss: Number
    accuracy: Number
    per_class_accuracy: Annotated[list[Number], msgspec.Meta(max_length=_MAX_CLASSES)]
    confusion: Annotated[list[Annotated[list[Count], msgspec.Meta(max_length=_MAX_CLASSES)]],
                         msgspec.Meta(max_length=_MAX_CLASSES)]  # rows: true class
    r2: Number
    rmse: Number


class EvaluationDoc(_Object):
    """Both splits' metrics at the last evaluation."""

    train: SplitMetricsDoc
    test: SplitMetricsDoc


class HistoryDoc(_Object):
    """One entry per evaluation; columns of equal length (Column: base64 binary)."""

    steps: Column  # int64
    epochs: Column  # int64
    train_loss: Column  # float64
    test_loss: Column
    train_accuracy: Column
    test_accuracy: Column


class SessionDoc(_Object):
    """The trained state (session_state.SessionState); flat arrays are in FlatParameters'
    order: every layer's weight row by row, input side first, then every bias."""

    weights: Annotated[list[LayerDoc], msgspec.Meta(max_length=_MAX_LAYERS)]
    steps: Count
    epoch: Count
    spec_changes: Annotated[list[Count], msgspec.Meta(max_length=MAX_HISTORY)]
    order_rng: RandomStateDoc
    epoch_order: Annotated[list[int], msgspec.Meta(max_length=MAX_POINTS)] | None
    cursor: Count
    best_loss: Number
    best_epoch: Count
    checkpoint: Floats
    evaluation: EvaluationDoc
    optimizer: OptimizerDoc
    history: HistoryDoc


class AutosaveDoc(_Object):
    """Set in autosaves only: what the autosave belongs to."""

    file: str | None  # the workspace file it was opened from or saved as; None: untitled
    saved_at: Name  # when, ISO 8601 with the UTC offset


class WorkspaceDoc(_Object):
    """A whole workspace file."""

    app: Literal[APP_ID]  # the constants themselves: a version bump is one line above
    format_version: Literal[FORMAT_VERSION]
    dataset: DatasetDoc
    network: NetworkDoc
    training: TrainingDoc
    speed: Name
    view: ViewDoc = msgspec.field(default_factory=ViewDoc)
    session: SessionDoc | None = None  # None: fresh weights from the seed, nothing trained
    autosave: AutosaveDoc | None = None
