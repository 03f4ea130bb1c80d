import Foundation
import LLM

extension TRLJobFiles {
    /// The job's README: how to run it, where each of our settings went, and what is not carried over.
    static func readme(_ s: TRLJobSettings) -> String {
        let p = s.clarifycoder
        let steps = s.data.steps.map { "\($0) optimizer steps" } ?? "\(s.data.epochs) pass(es) over each stage"
        var lines = [
            "# ClarifyCoder fine-tuning as a TRL job",
            "",
            "LoRA fine-tuning of `\(s.model)` (locally: `\(s.local_model)`) with Hugging Face TRL's `SFTTrainer` and PEFT, "
                + "launched by `accelerate`; written by `clarifycoder train --backend trl`. Every setting is in `job.json`, "
                + "taken from the same parameter set `clarifycoder train` uses (its `clarifycoder` key holds them as "
                + "`training.json` does).",
            "",
            "## Run",
            "",
            "```sh",
            "pip install -r requirements.txt",
            "bash launch.sh single_gpu            # one GPU",
            "bash launch.sh multi_gpu             # DDP over all GPUs (NUM_PROCESSES=N to choose)",
            "bash launch.sh fsdp                  # FSDP2: parameters sharded",
            "bash launch.sh deepspeed_zero3       # DeepSpeed ZeRO-3 (pip install deepspeed)",
            "bash launch.sh single_gpu --resume   # continue from the newest checkpoint",
            "```",
            "",
            "The run writes `\(s.output_dir)/checkpoints/`, `\(s.output_dir)/adapter/` (a PEFT adapter: "
                + "`adapter_config.json`, `adapter_model.safetensors`) and `\(s.output_dir)/summary.json`. "
                + "Bring the adapter back and use it as any adapter `clarifycoder train` writes:",
            "",
            "```sh",
            "clarifycoder eval --model \(s.local_model.contains("/") ? "BASE" : s.local_model) --adapter \(s.output_dir)/adapter --benchmark humaneval --out runs/eval-trl",
            "clarifycoder export \(s.output_dir)/adapter --to gguf --out tuned.gguf   # merged; --base names the base if needed",
            "vllm serve \(s.model) --enable-lora --lora-modules clarify=\(s.output_dir)/adapter",
            "```",
            "",
            "## Settings",
            "",
            "| ClarifyCoder | value | TRL / PEFT |",
            "|---|---|---|",
            "| LoRA rank, alpha, dropout | \(p.lora.rank), \(p.lora.alpha), \(p.lora.dropout) | `LoraConfig(r, lora_alpha, lora_dropout)` |",
            "| LoRA targets | \(p.lora.targets.map(\.rawValue).joined(separator: ",")) | `target_modules` \(s.peft.target_modules.joined(separator: ", ")) |",
            "| rsLoRA | \(p.lora.useRSLoRA) | `use_rslora` |",
            "| learning rate, schedule | \(p.learningRate), \(p.schedule.rawValue) | `learning_rate`, `lr_scheduler_type` \(s.sft.lr_scheduler_type) |",
            "| warm-up | \(p.warmupSteps) steps | `warmup_steps` |",
            "| length of the run | \(steps) | `max_steps`, computed by train.py as our trainer does |",
            "| stages | \(s.data.stages.map { "`\($0.split)`" }.joined(separator: " then ")) | train.py orders the data stage by stage; a sequential sampler keeps the order |",
            "| micro-batch × accumulation | \(p.batchSize) × \(p.gradientAccumulation) | `per_device_train_batch_size`, `gradient_accumulation_steps`; with N processes train.py divides them so each optimizer step still sees \(p.batchSize * p.gradientAccumulation) examples |",
            "| max length, too long | \(p.maxLength), \(p.overflow.rawValue) | train.py skips (or cuts the prompt of) longer examples, as our trainer does |",
            "| loss on | the assistant answers\(p.lastAssistantOnly ? " (last turn only)" : ""), each through its end-of-turn marker | train.py's `labels` (-100 elsewhere), from the tokenizer's chat template |",
            "| weight decay, gradient clip | \(p.weightDecay), \(p.maxGradNorm) | `weight_decay`, `max_grad_norm` (AdamW, betas 0.9/0.999, eps 1e-8, as ours) |",
            "| validation, checkpoints | every \(p.validateEvery), every \(p.checkpointEvery) steps | `eval_steps`, `save_steps`; the best adapter by validation loss (`load_best_model_at_end`) |",
            "| seed | \(p.seed) | `seed`, `data_seed`, and the data order in train.py |",
            "",
            "## Not carried over",
            "",
        ]
        if s.not_carried_over.isEmpty {
            lines.append("Nothing: every setting above has a TRL counterpart.")
        } else {
            lines += s.not_carried_over.map { "- " + $0 }
        }
        lines += [
            "",
            "Also different by nature: the job computes in bf16 on GPUs (fp32 on CPUs) where our trainer computes in "
                + "fp32; PyTorch's random streams differ from ours, so the same seed gives another LoRA initialisation, "
                + "data order and dropout — the adapters are equivalent runs, not identical files.",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
