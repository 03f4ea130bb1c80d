/// `train.py` of an emitted TRL job (``TRLJob``): reads `job.json` beside it, tokenizes and masks
/// the dialogues as ``SFTTrainer`` does (the answers through their end-of-turn marker), orders them
/// stage by stage, and trains a PEFT LoRA adapter with TRL's `SFTTrainer` under `accelerate`.
/// Checked by bench/trl-handoff.sh, which runs it on a CPU; kept as text here so the job needs
/// nothing from this repository.
enum TRLTrainScript {
    static let text = #"""
        #!/usr/bin/env python3
        # Emitted by `clarifycoder train --backend trl`: LoRA fine-tuning with TRL's SFTTrainer and PEFT,
        # every setting read from job.json beside this file (the same parameter set `clarifycoder train`
        # uses; README.md says what maps to what and what is not carried over).
        #
        #   accelerate launch --config_file accelerate/single_gpu.yaml train.py [--resume] [--output-dir DIR]
        #
        # The data are tokenized here, not by TRL, so the loss covers exactly the tokens ClarifyCoder's
        # trainer supervises: each assistant answer through its end-of-turn marker, found by rendering the
        # dialogue one message at a time with the tokenizer's chat template. TRL gets `input_ids` and
        # `labels` (-100 off the answers), which it leaves as they are.
        import argparse
        import json
        import math
        import os
        import random

        import torch
        from datasets import Dataset, load_dataset
        from peft import LoraConfig, get_peft_model
        from torch.utils.data import SequentialSampler
        from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed
        from trl import SFTConfig, SFTTrainer

        HERE = os.path.dirname(os.path.abspath(__file__))


        def load_job():
            with open(os.path.join(HERE, "job.json")) as f:
                job = json.load(f)
            if job.get("format") != "clarifycoder-trl-job" or job.get("version") != 1:
                raise SystemExit("job.json: not a version 1 clarifycoder-trl-job")
            return job


        def render(tokenizer, messages, generation_prompt=False):
            return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)


        def encode(tokenizer, messages, last_only, end_marker):
            """Token ids and a 0/1 mask of the supervised tokens (ClarifyCoder's SFTEncoder, in Python)."""
            ids, mask = [], []

            def add(text, supervised):
                if text:
                    piece = tokenizer(text, add_special_tokens=False)["input_ids"]
                    ids.extend(piece)
                    mask.extend([int(supervised)] * len(piece))

            last = max(i for i, m in enumerate(messages) if m["role"] == "assistant")
            rendered = ""
            for i, message in enumerate(messages):
                full = render(tokenizer, messages[: i + 1])
                if not full.startswith(rendered):
                    raise ValueError(f"the chat template does not render message {i} after the ones before it")
                if message["role"] == "assistant":
                    header = render(tokenizer, messages[:i], generation_prompt=True)
                    if not (header.startswith(rendered) and full.startswith(header)):
                        raise ValueError(f"the chat template's generation prompt does not start assistant message {i}")
                    add(full[len(rendered) : len(header)], False)
                    turn = full[len(header) :]
                    supervised = not last_only or i == last
                    end = turn.rfind(end_marker) if end_marker else -1
                    if end >= 0:
                        add(turn[: end + len(end_marker)], supervised)
                        add(turn[end + len(end_marker) :], False)
                    else:
                        add(turn, supervised)
                else:
                    add(full[len(rendered) :], False)
                rendered = full
            return ids, mask


        def tokenize_split(tokenizer, rows, loss, end_marker):
            """(examples, skipped, truncated): over-long examples skipped or cut from the prompt's left."""
            out, skipped, truncated = [], 0, 0
            max_length = loss["max_length"]
            for row in rows:
                ids, mask = encode(tokenizer, row["messages"], loss["assistant_turns"] == "last", end_marker)
                if len(ids) > max_length:
                    excess = len(ids) - max_length
                    first = mask.index(1) if 1 in mask else len(ids)
                    if loss["too_long"] != "truncate-prompt" or excess >= first:
                        skipped += 1
                        continue
                    ids, mask = ids[excess:], mask[excess:]
                    truncated += 1
                labels = [token if supervised else -100 for token, supervised in zip(ids, mask)]
                out.append({"input_ids": ids, "labels": labels, "group": row.get("group")})
            return out, skipped, truncated


        def ordered(examples, passes, seed, stage, grouped):
            """`passes` shuffled passes over one stage; with groups, a group's examples stay together."""
            order = []
            for p in range(passes):
                rng = random.Random(f"{seed}:{stage}:{p}")
                units = {}
                for index, example in enumerate(examples):
                    key = example["group"] if grouped and example["group"] is not None else ("#", index)
                    units.setdefault(key, []).append(index)
                units = list(units.values())
                rng.shuffle(units)
                order += [examples[i] for unit in units for i in unit]
            return order


        def per_device_plan(batch, accum, world):
            """Per-process micro-batch and accumulation keeping batch × accum examples per optimizer step."""
            total = batch * accum
            if total % world == 0:
                local = total // world
                for steps in range(1, local + 1):
                    if local % steps == 0 and local // steps <= batch:
                        return local // steps, steps, True
            return batch, max(1, accum // world), False


        class InOrderSFTTrainer(SFTTrainer):
            """Trains the examples in the order train.py built (stage by stage), not reshuffled."""

            def _get_train_sampler(self, *args, **kwargs):
                return SequentialSampler(self.train_dataset)


        def main():
            parser = argparse.ArgumentParser(description="ClarifyCoder's LoRA fine-tuning as a TRL job")
            parser.add_argument("--output-dir", help="default: job.json's output_dir, relative to the job folder")
            parser.add_argument("--resume", action="store_true", help="continue from the newest checkpoint")
            parser.add_argument("--max-steps", type=int, help="stop after this many steps (smoke tests)")
            args = parser.parse_args()

            job = load_job()
            peft_settings, sft, data, loss = job["peft"], dict(job["sft"]), job["data"], job["loss"]
            output = args.output_dir or job["output_dir"]
            output = output if os.path.isabs(output) else os.path.join(HERE, output)
            world = int(os.environ.get("WORLD_SIZE", "1"))
            main_process = int(os.environ.get("RANK", "0")) == 0

            set_seed(sft["seed"])
            tokenizer = AutoTokenizer.from_pretrained(job["model"])
            if tokenizer.pad_token is None:
                tokenizer.pad_token = tokenizer.eos_token
            end_marker = "<|im_end|>" if "<|im_end|>" in (tokenizer.chat_template or "") else tokenizer.eos_token

            dataset_dir = os.path.join(HERE, data["dataset"])
            splits = [s["split"] for s in data["stages"]] + ([data["validation"]["split"]] if data.get("validation") else [])
            files = {split: os.path.join(dataset_dir, "data", f"{split}.jsonl") for split in splits}
            raw = load_dataset("json", data_files=files)

            train, report = [], {"skipped": 0, "truncated": 0, "stages": []}
            micro_batches = 0
            for index, stage in enumerate(data["stages"]):
                examples, skipped, truncated = tokenize_split(tokenizer, raw[stage["split"]], loss, end_marker)
                if not examples:
                    raise SystemExit(f"stage {stage['name']}: every example is longer than max_length {loss['max_length']}")
                report["skipped"] += skipped
                report["truncated"] += truncated
                report["stages"].append({"name": stage["name"], "examples": len(examples), "skipped": skipped})
                train += ordered(examples, data["epochs"], sft["seed"], index, data.get("group_by") is not None)
                micro_batches += data["epochs"] * math.ceil(len(examples) / sft["per_device_train_batch_size"])
            steps = data.get("steps") or max(1, math.ceil(micro_batches / sft["gradient_accumulation_steps"]))
            if args.max_steps:
                steps = min(steps, args.max_steps)
            # A step budget beyond one round repeats the passes in the same order, as ClarifyCoder's trainer does.
            needed = steps * sft["per_device_train_batch_size"] * sft["gradient_accumulation_steps"]
            rounds = max(1, math.ceil(needed / len(train)))
            train = (train * rounds)[:needed]
            columns = lambda rows: Dataset.from_list([{"input_ids": r["input_ids"], "labels": r["labels"]} for r in rows])

            evaluation = None
            if data.get("validation"):
                examples, skipped, _ = tokenize_split(tokenizer, raw[data["validation"]["split"]], loss, end_marker)
                report["validation"] = {"examples": len(examples), "skipped": skipped}
                evaluation = columns(examples) if examples else None
            if evaluation is None:
                sft.update(eval_strategy="no", eval_steps=None, load_best_model_at_end=False, metric_for_best_model=None,
                           greater_is_better=None)

            batch, accum, exact = per_device_plan(sft["per_device_train_batch_size"], sft["gradient_accumulation_steps"], world)
            if not exact and main_process:
                print(f"warning: {world} processes cannot split {sft['per_device_train_batch_size']} × "
                      f"{sft['gradient_accumulation_steps']} examples per step evenly; using {batch} × {accum} per process")
            sft.update(per_device_train_batch_size=batch, gradient_accumulation_steps=accum, max_steps=steps,
                       output_dir=os.path.join(output, "checkpoints"))
            gpu = torch.cuda.is_available()
            sft["bf16"] = gpu and torch.cuda.is_bf16_supported()
            if not gpu:
                sft["gradient_checkpointing"] = False
            config = SFTConfig(**sft)

            dtype = torch.bfloat16 if sft["bf16"] else torch.float32
            model = AutoModelForCausalLM.from_pretrained(job["model"], dtype=dtype)
            if sft["gradient_checkpointing"]:
                model.enable_input_require_grads()  # checkpointed blocks need a grad-carrying input under a frozen base
            model = get_peft_model(model, LoraConfig(**peft_settings))
            trainer = InOrderSFTTrainer(
                model=model, args=config, train_dataset=columns(train), eval_dataset=evaluation, processing_class=tokenizer)
            resume = args.resume and os.path.isdir(config.output_dir) and any(
                name.startswith("checkpoint-") for name in os.listdir(config.output_dir))
            result = trainer.train(resume_from_checkpoint=True if resume else None)
            trainer.save_model(os.path.join(output, "adapter"))
            if main_process:
                report.update(steps=trainer.state.global_step, train_loss=result.training_loss,
                              best_eval_loss=trainer.state.best_metric, log=trainer.state.log_history,
                              adapter=os.path.join(output, "adapter"))
                with open(os.path.join(output, "summary.json"), "w") as f:
                    json.dump(report, f, indent=2)
                print(f"trained {trainer.state.global_step} steps; adapter: {os.path.join(output, 'adapter')}")


        if __name__ == "__main__":
            main()

        """#
}
