"""This package's layer descriptions ([('dense', 7), ('relu',), ('batchNorm', momentum, eps, affine), …])
as the PyTorch nn.Sequential of the same stack: what the fixture scripts build and save."""
import torch


def module(width, layers):
    mods = []
    for layer in layers:
        kind = layer[0]
        if kind == 'dense':
            mods.append(torch.nn.Linear(width, layer[1]))
            width = layer[1]
        elif kind == 'batchNorm':
            mods.append(torch.nn.BatchNorm1d(width, momentum=layer[1], eps=layer[2], affine=layer[3]))
        elif kind == 'dropout':
            mods.append(torch.nn.Dropout(layer[1]))
        elif kind == 'relu':
            mods.append(torch.nn.ReLU())
        elif kind == 'tanh':
            mods.append(torch.nn.Tanh())
        elif kind == 'sigmoid':
            mods.append(torch.nn.Sigmoid())
        elif kind == 'softmax':
            mods.append(torch.nn.Softmax(dim=1))
    return torch.nn.Sequential(*mods)
