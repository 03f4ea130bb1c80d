/// Reverse-mode differentiation over the recorded graph (PyTorch's `Tensor.backward`).
///
/// Visits the graph in reverse topological order, hands each node the sum of the gradients of
/// its output, and accumulates into `grad` of every leaf that requires it — so calling
/// `backward()` once per micro-batch accumulates, as PyTorch does, until ``Tensor/zeroGrad()``.
/// The graph is freed as it is consumed (saved activations and a node's output go away as soon as
/// it ran, unless the caller still holds them);
/// a second `backward()` through the same graph is therefore not possible.
extension Tensor {
    public func backward(_ gradient: Tensor? = nil) {
        precondition(requiresGrad, "backward() on a tensor that does not require grad (shape \(shape))")
        let seed: Tensor
        if let gradient {
            precondition(gradient.shape == shape, "backward gradient shape \(gradient.shape) != tensor shape \(shape)")
            seed = gradient
        } else {
            precondition(count == 1, "backward() without a gradient needs a one-element tensor, shape is \(shape)")
            seed = Tensor.ones(shape)
        }
        // Optional so that each tensor is let go once its node ran: the list must not keep every
        // activation of the graph alive until the walk ends (its consumers ran before it).
        var order: [Tensor?] = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        withNoGrad {
            for index in order.indices.reversed() {
                guard let tensor = order[index] else { continue }
                order[index] = nil
                guard let gradient = pending.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
                guard let node = tensor.node else {
                    tensor.accumulateGrad(gradient)
                    continue
                }
                let inputGrads = node.backward(gradient)
                precondition(inputGrads.count == node.inputs.count, "\(node.name): backward returned wrong arity")
                for (input, inputGrad) in zip(node.inputs, inputGrads) where input.requiresGrad {
                    guard let inputGrad else { continue }
                    precondition(
                        inputGrad.shape == input.shape,
                        "\(node.name): gradient shape \(inputGrad.shape) != input shape \(input.shape)")
                    let key = ObjectIdentifier(input)
                    if let existing = pending[key] {
                        pending[key] = existing + inputGrad
                    } else {
                        pending[key] = inputGrad
                    }
                }
                tensor.node = nil
            }
        }
    }

    /// Post-order (inputs before outputs) over the nodes that lead to `self` and require grad.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(tensor: Tensor, inputsDone: Bool)] = [(self, false)]
        while let (tensor, inputsDone) = stack.popLast() {
            if inputsDone {
                order.append(tensor)
                continue
            }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.node?.inputs ?? []
            where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }

    /// Adds into `grad`, allocating an owned contiguous buffer the first time.
    func accumulateGrad(_ gradient: Tensor) {
        if let grad {
            grad.addInPlace(gradient)
        } else {
            grad = gradient.contiguousCopy()
        }
    }

    /// Forgets the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`), freeing its memory.
    public func zeroGrad() { grad = nil }
}
