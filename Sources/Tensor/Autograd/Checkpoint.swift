/// Activation checkpointing (PyTorch's `torch.utils.checkpoint`, non-reentrant in effect): trade
/// one extra forward for the memory of everything a block saves for backward.
///
/// `checkpoint(x, parameters: p) { body }` runs `body(x)` without recording and keeps only `x`.
/// Backward runs `body` again on a detached copy of `x` with recording on, backpropagates the
/// incoming gradient through that fresh graph — which accumulates into the `grad` of every leaf
/// `body` uses, `parameters` included — and hands `x`'s gradient on. So a transformer layer holds
/// one (B, T, D) input during the forward pass instead of its q/k/v, MLP and norm activations;
/// only the layer being differentiated has its activations alive.
///
/// `body` must compute the same thing both times: no state between calls, randomness from fixed
/// seeds (``Tensor/dropout(probability:seed:)`` qualifies). `parameters` lists the trainable
/// leaves `body` reads, so the block is recorded even when `x` itself needs no gradient (the first
/// layer's input is a frozen embedding); their gradients arrive through the inner backward.
extension Tensor {
    public static func checkpoint(
        _ input: Tensor, parameters: [Tensor], _ body: @escaping (Tensor) -> Tensor
    ) -> Tensor {
        guard shouldRecord([input] + parameters) else { return body(input) }
        let out = withNoGrad { body(input) }
        let saved = input.detached()
        let inputNeedsGrad = input.requiresGrad
        return out.recorded("checkpoint", [input] + parameters) { g in
            let x = saved.detached()
            x.requiresGrad = inputNeedsGrad
            let y = GradMode.$isEnabled.withValue(true) { body(x) }
            if y.requiresGrad { y.backward(g) }
            return [inputNeedsGrad ? x.grad : nil] + parameters.map { _ in nil }
        }
    }
}
