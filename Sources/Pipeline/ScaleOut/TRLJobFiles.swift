import Foundation
import LLM

/// The text files of a TRL job besides `train.py`: the launch script, the `accelerate` configs,
/// the requirements, the dataset card and the job's README.
enum TRLJobFiles {
    /// One `accelerate` config per way of running; `launch.sh` picks one by name. Their keys follow
    /// TRL's own `trl/accelerate_configs` (single_gpu, multi_gpu, fsdp2, zero3); `num_processes` is
    /// overridden by `launch.sh` (`NUM_PROCESSES`, default: the GPUs `nvidia-smi` lists).
    enum AccelerateConfig: String, CaseIterable {
        case singleGPU = "single_gpu"
        case multiGPU = "multi_gpu"
        case fsdp
        case deepspeedZero3 = "deepspeed_zero3"
        /// For a smoke test without a GPU (bench/trl-handoff.sh): one process, fp32.
        case cpu

        var yaml: String {
            let common = """
                compute_environment: LOCAL_MACHINE
                debug: false
                downcast_bf16: 'no'
                machine_rank: 0
                main_training_function: main
                num_machines: 1
                rdzv_backend: static
                same_network: true
                tpu_env: []
                tpu_use_cluster: false
                tpu_use_sudo: false

                """
            switch self {
            case .singleGPU:
                return "# One GPU, bf16.\n" + common + """
                    distributed_type: 'NO'
                    gpu_ids: all
                    mixed_precision: bf16
                    num_processes: 1
                    use_cpu: false

                    """
            case .multiGPU:
                return "# Data parallel (DDP) over the GPUs of one machine, bf16: each holds the whole model.\n" + common + """
                    distributed_type: MULTI_GPU
                    gpu_ids: all
                    mixed_precision: bf16
                    num_processes: 8
                    use_cpu: false

                    """
            case .fsdp:
                return "# FSDP2 (accelerate >= 1.7): parameters sharded over the GPUs, one decoder layer per unit.\n"
                    + common + """
                    distributed_type: FSDP
                    enable_cpu_affinity: false
                    fsdp_config:
                      fsdp_activation_checkpointing: false
                      fsdp_auto_wrap_policy: TRANSFORMER_BASED_WRAP
                      fsdp_cpu_ram_efficient_loading: true
                      fsdp_offload_params: false
                      fsdp_reshard_after_forward: true
                      fsdp_state_dict_type: FULL_STATE_DICT
                      fsdp_version: 2
                    mixed_precision: bf16
                    num_processes: 8
                    use_cpu: false

                    """
            case .deepspeedZero3:
                return "# DeepSpeed ZeRO-3 (pip install deepspeed): parameters, gradients and optimizer state sharded.\n"
                    + common + """
                    deepspeed_config:
                      deepspeed_multinode_launcher: standard
                      offload_optimizer_device: none
                      offload_param_device: none
                      zero3_init_flag: true
                      zero3_save_16bit_model: true
                      zero_stage: 3
                    distributed_type: DEEPSPEED
                    mixed_precision: bf16
                    num_processes: 8
                    use_cpu: false

                    """
            case .cpu:
                return "# One CPU process, fp32: a smoke test of the job, not a way to train.\n" + common + """
                    distributed_type: 'NO'
                    mixed_precision: 'no'
                    num_processes: 1
                    use_cpu: true

                    """
            }
        }
    }

    static let launchScript = #"""
        #!/usr/bin/env bash
        # Runs the job with accelerate:  bash launch.sh [CONFIG] [train.py options]
        #   CONFIG: single_gpu (default), multi_gpu (DDP), fsdp, deepspeed_zero3, cpu
        #   NUM_PROCESSES=N overrides the process count (default: the GPUs nvidia-smi lists; 1 for single_gpu/cpu)
        #   train.py options: --resume (continue from the newest checkpoint), --output-dir DIR, --max-steps N
        set -euo pipefail
        here="$(cd "$(dirname "$0")" && pwd)"
        config="${1:-single_gpu}"
        [ $# -gt 0 ] && shift
        file="$here/accelerate/$config.yaml"
        if [ ! -f "$file" ]; then
            echo "launch.sh: no accelerate config '$config'; choose one of: $(cd "$here/accelerate" && ls | sed 's/\.yaml$//' | tr '\n' ' ')" >&2
            exit 2
        fi
        case "$config" in
            single_gpu|cpu) processes=1 ;;
            *) processes="${NUM_PROCESSES:-$(nvidia-smi -L 2>/dev/null | wc -l)}" ;;
        esac
        [ "${processes:-0}" -ge 1 ] || { echo "launch.sh: no GPU found; set NUM_PROCESSES" >&2; exit 2; }
        exec accelerate launch --config_file "$file" --num_processes "$processes" "$here/train.py" "$@"

        """#

    static let requirements = """
        # The versions this job was written against (bench/trl-handoff.sh ran it with these).
        torch>=2.4
        transformers>=5.0
        trl>=1.16,<2
        peft>=0.17
        accelerate>=1.7
        datasets>=3.0
        # deepspeed  # for accelerate/deepspeed_zero3.yaml

        """

    /// The `datasets` card: YAML front matter whose `configs` name each split's file, so
    /// `datasets.load_dataset(DIR/dataset)` returns them, then what the data are.
    static func datasetCard(_ settings: TRLJobSettings, dialogues: TrainingDialogues) -> String {
        var splits = settings.data.stages.map { ($0.split, $0.examples) }
        if let validation = settings.data.validation { splits.append((validation.split, validation.examples)) }
        var lines = ["---", "configs:", "- config_name: default", "  data_files:"]
        for (split, _) in splits { lines += ["  - split: \(split)", "    path: data/\(split).jsonl"] }
        lines += ["task_categories:", "- text-generation", "tags:", "- clarifycoder", "- sft", "- conversational", "---", ""]
        lines += [
            "# ClarifyCoder training mixture",
            "",
            "Chat dialogues (`{\"messages\": [{\"role\", \"content\"}, …]}`, TRL's conversational format) that teach a "
                + "code model to ask a clarifying question when a programming request is unclear and to write the "
                + "code when it is clear. Written by `clarifycoder train --backend trl` from the data of the run "
                + "(`\(settings.clarifycoder.data)`).",
            "",
            "| split | examples | source |",
            "|---|---|---|",
        ]
        for (index, stage) in dialogues.stages.enumerated() {
            lines.append("| `\(settings.data.stages[index].split)` | \(stage.dialogues.count) | stage \(index + 1), `\(stage.name)` |")
        }
        if let validation = dialogues.validation {
            lines.append("| `validation` | \(validation.dialogues.count) | held-out problems |")
        }
        lines += [
            "",
            settings.data.stages.count > 1
                ? "The stages are trained in this order (`train.py` follows it)."
                : "",
            settings.data.group_by.map { "Each line carries `group`: its `metadata.\($0)`, to keep related examples together." } ?? "",
            "",
            "```python",
            "from datasets import load_dataset",
            "data = load_dataset(\"path/to/this/folder\")",
            "```",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
