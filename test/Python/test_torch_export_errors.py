#!/usr/bin/python3
"""bnn.torch.export refuses what it cannot translate exactly: every case
below raises bnn.torch.ExportError whose message names the fx node, its
target and the source line (or, for model-level problems, says what is
wrong)."""

import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bnn_test_util as u  # noqa: E402
import bnn.torch as bt  # noqa: E402

X4 = torch.randn(2, 4, 8, 8)


class Wrap(nn.Module):
    def __init__(self, fn, **modules):
        super().__init__()
        self.fn = fn
        for k, v in modules.items():
            setattr(self, k, v)

    def forward(self, x):
        return self.fn(self, x)


def case_reflect_conv():
    return Wrap(lambda s, x: s.conv(x), conv=nn.Conv2d(4, 4, 3, padding=1,
                                                       padding_mode="reflect")), \
        ["%conv", "'conv'", "Conv2d", "padding_mode='reflect'"]


def case_circular_binary_conv():
    return Wrap(lambda s, x: s.bconv(x), bconv=bt.BinaryConv2d(
        4, 4, 3, padding=1, padding_mode="circular")), \
        ["%bconv", "BinaryConv2d", "'circular'"]


def case_ceil_mode():
    return Wrap(lambda s, x: s.pool(x), pool=nn.MaxPool2d(3, 2, ceil_mode=True)), \
        ["%pool", "MaxPool2d", "ceil_mode"]


def case_pool_dilation():
    return Wrap(lambda s, x: F.max_pool2d(x, 2, dilation=2)), \
        ["%max_pool2d", "dilation", "test_torch_export_errors.py"]


def case_divisor_override():
    return Wrap(lambda s, x: s.pool(x), pool=nn.AvgPool2d(2, divisor_override=3)), \
        ["%pool", "AvgPool2d", "divisor_override"]


def case_unsupported_function():
    return Wrap(lambda s, x: torch.tanh(x) + 1), \
        ["%tanh", "unsupported function", "tanh", "test_torch_export_errors.py",
         "torch.tanh(x)"]


def case_unsupported_method():
    return Wrap(lambda s, x: x.permute(0, 2, 3, 1)), \
        ["%permute", "unsupported tensor method", "'permute'", "x.permute"]


def case_unsupported_module():
    return Wrap(lambda s, x: s.soft(x), soft=nn.Softmax(dim=1)), \
        ["%soft", "unsupported module Softmax"]


def case_batch_stats_bn():
    return Wrap(lambda s, x: s.bn(x), bn=nn.BatchNorm2d(4, track_running_stats=False)), \
        ["%bn", "BatchNorm2d", "track_running_stats"]


def case_control_flow():
    def fn(s, x):
        if x.sum() > 0:
            return x
        return -x
    return Wrap(fn), ["could not trace"]


def case_rank3_view():
    return Wrap(lambda s, x: x.view(x.size(0), 4, -1)), \
        ["%view", "rank 3"]


def case_adaptive_uneven():
    return Wrap(lambda s, x: s.pool(x), pool=nn.AdaptiveAvgPool2d(3)), \
        ["%pool", "AdaptiveAvgPool2d", "uneven"]


class _Param(nn.Module):
    def __init__(self):
        super().__init__()
        self.offset = nn.Parameter(torch.zeros(1, 4, 1, 1))

    def forward(self, x):
        return x + self.offset


def case_parameter_in_graph():
    return _Param(), ["%offset", "get_attr", "parameters or buffers"]


def case_add_alpha():
    return Wrap(lambda s, x: torch.add(x, x, alpha=2)), ["%add", "alpha=2"]


def case_dropout_training():
    return Wrap(lambda s, x: F.dropout(x, 0.5, True)), ["%dropout", "training=True"]


def case_broadcast_add():
    return Wrap(lambda s, x: x + x[:, :1]), ["%getitem", "indexing tensors"]


def case_int8_uncalibrated():
    return Wrap(lambda s, x: s.q(x), q=bt.Int8Conv2d(4, 4, 3)), \
        ["no observed activation range"]


def case_flatten_start0():
    return Wrap(lambda s, x: torch.flatten(x)), ["%flatten", "start_dim=0"]


CASES = [v for k, v in sorted(globals().items()) if k.startswith("case_")]


def main():
    failures = u.Failures("test_torch_export_errors")
    for case in CASES:
        model, expected = case()
        try:
            bt.export(model, X4)
        except bt.ExportError as e:
            text = str(e)
            for piece in expected:
                failures.expect(piece in text, f"{case.__name__}: message lacks "
                                f"{piece!r}:\n{text}")
        except Exception as e:  # noqa: BLE001
            failures.check(f"{case.__name__}: {type(e).__name__} instead of "
                           f"ExportError: {e}")
        else:
            failures.check(f"{case.__name__}: no error")
    # Model-level errors.
    for what, call in [
            ("rank-3 input", lambda: bt.export(Wrap(lambda s, x: x),
                                               torch.randn(2, 3, 4))),
            ("float64 input", lambda: bt.export(Wrap(lambda s, x: x),
                                                torch.randn(2, 3).double())),
            ("not a module", lambda: bt.export(lambda x: x, torch.randn(2, 3))),
            ("input count", lambda: bt.export(Wrap(lambda s, x: x),
                                              (torch.randn(2, 3), torch.randn(2, 3))))]:
        try:
            call()
            failures.check(f"{what}: no error")
        except bt.ExportError:
            failures.check(None)
        except Exception as e:  # noqa: BLE001
            failures.check(f"{what}: {type(e).__name__} instead of ExportError: {e}")
    failures.finish()


if __name__ == "__main__":
    main()
