/// Whether ops record the graph for reverse-mode differentiation.
///
/// A task-local (and, outside tasks, thread-local) flag like PyTorch's `torch.no_grad()`:
/// inference wraps its work in ``withNoGrad(_:)`` and then no op allocates a graph node or keeps a
/// tensor for backward, so decoding pays nothing for autograd. Ops also skip recording when no
/// input requires grad, so frozen sub-graphs are free even with grad mode on.
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` with graph recording off (PyTorch's `with torch.no_grad():`).
public func withNoGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradMode.$isEnabled.withValue(false, operation: body)
}

/// The record of one op application: its inputs and how to map the output's gradient to theirs.
///
/// `backward` receives dL/d(output) and returns dL/d(input) for each input in order, `nil` for
/// inputs that need none. It runs with grad mode off and must not capture the output tensor
/// itself (that would be a retain cycle): ops capture a ``Tensor/detached()`` view instead.
final class Node {
    let name: String
    let inputs: [Tensor]
    let backward: (Tensor) -> [Tensor?]

    init(name: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// Whether an op over `inputs` must record a node: grad mode is on and some input wants grad.
    static func shouldRecord(_ inputs: Tensor...) -> Bool {
        GradMode.isEnabled && inputs.contains { $0.requiresGrad }
    }

    static func shouldRecord(_ inputs: [Tensor]) -> Bool {
        GradMode.isEnabled && inputs.contains { $0.requiresGrad }
    }

    /// Attaches a graph node to a freshly computed output and returns it, when recording is due.
    func recorded(_ name: String, _ inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard Tensor.shouldRecord(inputs) else { return self }
        node = Node(name: name, inputs: inputs, backward: backward)
        requiresGrad = true
        return self
    }
}
