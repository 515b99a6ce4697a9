"""Real abstract sentences and the claims a careful annotator reads in them.

Each row: (sentence, expected, source) where expected lists, per claim in order, the
fields that matter for the rule the row illustrates (an empty list means: no claim at all),
and source says where the sentence comes from: DEV (a bundled dump, whose claims the dev
gold annotates; often shortened), SCIREX (the SciREX dev set), or WRITTEN for the test in
the style of an abstract. test_row_sources holds each label to the text it names.
"""
import re
from pathlib import Path

import pytest

from extract.claims import extract

V, U, T, M, Q, S = "value", "unit", "type", "metric", "qualifier", "scale"
DEV, SCIREX, WRITTEN = "dev gold", "SciREX", "written for the test"

TABLE = [
    # speedups: factors, words, LaTeX debris
    ("Our method is up to 4 times faster on the HumanML3D dataset.",
     [{V: 4, U: "x", T: "speedup", M: "speed", Q: "up_to"}], DEV),
    ("KIVI enables up to 4times larger batch size.", [{V: 4, U: "x", Q: "up_to"}], DEV),
    ("The kernel brings 2.35times sim 3.47times throughput on real workloads.",
     [{V: 2.35, "value_max": 3.47, U: "x", T: "speedup", M: "throughput"}], DEV),
    ("DyCL runs between 1.12times and 20.21times faster than general-purpose frameworks.",
     [{V: 1.12, "value_max": 20.21, U: "x", T: "speedup"}], DEV),
    ("The student is twice as fast as its teacher.", [{V: 2, U: "x"}], WRITTEN),
    ("This improves online processing efficiency by an order of magnitude.", [{V: 10, U: "x"}], DEV),
    ("Pruning can halve the prediction time.", [{V: 0.5, U: "x"}], WRITTEN),
    ("We observe an average 6.7times speedup over FLAT.",
     [{V: 6.7, U: "x", T: "speedup", Q: "average", "baseline": "FLAT"}], DEV),
    ("The method is at least 7x faster than the teacher models.",
     [{V: 7, U: "x", Q: "at_least", "baseline": "teacher models"}], DEV),
    # scores, lists, slashes, respectively
    ("Our small variant achieves 78.5% top-1 ImageNet-1K accuracy with only 0.8 ms latency.",
     [{V: 78.5, U: "%", T: "score", M: "top-1 accuracy", "dataset": "ImageNet-1K"},
      {V: 0.8, U: "ms", T: "resource", M: "latency"}], DEV),
    ("LeYOLO reaches 25.2, 31.3 and 41 mAP on COCO.",
     [{V: 25.2, U: None, T: "score", M: "map"}, {V: 31.3, M: "map"}, {V: 41, M: "map"}], WRITTEN),
    ("The model improves to 2.08 FID.", [{V: 2.08, U: None, T: "score", M: "fid"}], WRITTEN),
    ("It sets new records of 1.30/0.97 FID on CIFAR-10/ImageNet-64.", [{V: 1.30}, {V: 0.97}], DEV),
    ("Our tokenizer reaches rFID 0.49 v.s. 0.91 for SD-VAE.", [{V: 0.49, M: "rfid"}, {V: 0.91, M: "rfid"}], DEV),
    ("It achieves an FID score of 11.3 on ImageNet.",
     [{V: 11.3, U: None, T: "score", M: "fid", "dataset": "ImageNet"}], DEV),
    ("Our model achieves 41.6 mAP on COCO test-dev, surpassing Focal Loss by 0.8.",
     [{V: 41.6, T: "score"}, {V: 0.8, U: "points", T: "improvement"}], SCIREX),
    # improvements and reductions
    ("We obtain a 20.54% accuracy improvement on ImageNet over the SOTA method.",
     [{V: 20.54, U: "%", T: "improvement", M: "accuracy"}], DEV),
    ("FedVSR achieves 0.0327 higher SSIM than existing FL methods.",
     [{V: 0.0327, U: "points", T: "improvement", M: "ssim"}], WRITTEN),
    ("The model improves accuracy by up to 9.2 percentage points.", [{V: 9.2, U: "pp", Q: "up_to"}], DEV),
    ("SE-MoE reaches 18% lower memory footprints than DeepSpeed.",
     [{V: 18, U: "%", T: "reduction", M: "memory"}], WRITTEN),
    ("FBNetV3 uses 34% fewer parameters than EfficientNet.",
     [{V: 34, U: "%", T: "reduction", M: "parameters", "baseline": "EfficientNet"}], WRITTEN),
    ("The cascade needs <30% the number of MACs.", [{V: 30, U: "%", Q: "at_most"}], WRITTEN),
    ("Training costs leq 1/200 of the training cost of the baseline.", [{V: 0.005, U: "x", Q: "at_most"}], DEV),
    ("It only loses less than 1% accuracy.", [{V: 1, U: "%", Q: "at_most"}], WRITTEN),
    ("SOAP reduces the number of iterations by over 40% compared to AdamW.",
     [{V: 40, U: "%", Q: "at_least", "baseline": "AdamW"}], DEV),
    # the words between "by" and its number are one list (vocab/qualifiers.yml hedges)
    ("Our MambaIRv2 outperforms SRFormer by even 0.35dB PSNR for lightweight SR.",
     [{V: 0.35, U: "dB", T: "improvement", "baseline": "SRFormer"}], DEV),
    # resources
    ("The model was trained in 8 days on 48 A100 GPU cards.",
     [{V: 8, U: "day", T: "resource"}, {V: 48, U: "GPUs", T: "resource"}], DEV),
    ("SCALE is equipped with a compact model consisting of merely 600M parameters.",
     [{V: 600, S: "M", U: "params", T: "resource", M: "parameters"}], DEV),
    ("The detector needs 4.5 GFLOPs.", [{V: 4.5, S: "B", U: "FLOPs"}], WRITTEN),
    ("Fuyou reaches 156 TFLOPS.", [{V: 156, S: "T", U: "FLOPs"}], WRITTEN),
    ("It fits in less than 8 GiB of memory.", [{V: 8, U: "GB", Q: "at_most", T: "resource"}], DEV),
    ("Surpassing the baseline with a $500 training cost.", [{V: 500, U: "USD"}], WRITTEN),
    ("The model runs at 30 fps on a phone.", [{V: 30, U: "fps", T: "resource"}], WRITTEN),
    ("COLEP gives up to 12% improvement on GTSRB, 9% on CIFAR-10, and 14% on AwA2.",
     [{V: 12, Q: "up_to"}, {V: 9, Q: "up_to", "dataset": "CIFAR-10"}, {V: 14, Q: "up_to", "dataset": "AwA2"}], DEV),
    # written for the test: the paper's own run, in the units abstracts write it in
    ("We train on 2T tokens using 512 A100 GPUs for 21 days.",
     [{V: 2, S: "T", U: "tokens", T: "resource"}, {V: 512, U: "GPUs", T: "resource"},
      {V: 21, U: "day", T: "resource", M: "training time"}], WRITTEN),
    ("The model is pretrained on 1.4 trillion tokens.", [{V: 1.4, S: "T", U: "tokens", T: "resource"}], WRITTEN),
    ("It reaches GPT-3 quality with 1.4T training tokens.",
     [{V: 1.4, S: "T", U: "tokens", T: "resource", M: "pretraining tokens"}], WRITTEN),
    ("Our 7B model is trained on 4T tokens.", [{V: 4, S: "T", U: "tokens"}], WRITTEN),
    ("Training requires only 8 GPU hours.", [{V: 8, U: "h", T: "resource"}], WRITTEN),
    ("The whole training takes 3,000 A100 hours.", [{V: 3000, U: "h", T: "resource"}], WRITTEN),
    ("The distillation takes 12 A100-hours.", [{V: 12, U: "h", T: "resource"}], WRITTEN),
    ("DeepSeek-V3 requires only 2.788M H800 GPU hours for its full training.",
     [{V: 2.788, S: "M", U: "h", T: "resource"}], WRITTEN),
    ("Our model was trained with 1,024 H100s.", [{V: 1024, U: "GPUs", T: "resource", M: "gpus"}], WRITTEN),
    ("We train the model on 256 TPU v4 chips.", [{V: 256, U: "GPUs", T: "resource", M: "tpus"}], WRITTEN),
    ("Training consumed 3.6 petaflop/s-days of compute.", [{V: 3.6, U: "FLOPs", S: None, T: "resource", M: "flops"}], WRITTEN),
    ("The training run consumed 1,287 MWh and emitted 552 tCO2eq.",
     [{V: 1287, T: "resource", M: "energy"}, {V: 552, T: "resource", M: "co2 emissions"}], WRITTEN),
    ("We design a lightweight network with 1.2M parameters for phones.",
     [{V: 1.2, S: "M", U: "params", T: "resource"}], WRITTEN),
    ("With 1.3B parameters it matches a 7B baseline.", [{V: 1.3, S: "B", U: "params", T: "resource"}], WRITTEN),
    ("Decoding runs at 25 tokens/s on a laptop.", [{V: 25, U: "tokens", M: "throughput"}], WRITTEN),
    # a list of different units keeps each member's own metric (dev gold)
    ("It performs comparably while using only 20B pretraining tokens and 17B parameters.",
     [{V: 20, U: "tokens", M: "pretraining tokens"}, {V: 17, U: "params", M: "parameters"}], DEV),
    ("Fine-tuning takes 3 hours on one A100.", [{V: 3, U: "h"}, {V: 1, U: "GPUs", T: "resource"}], WRITTEN),
    ("We train FooNet on 64 NVIDIA A100 GPUs for 5 days.", [{V: 64, U: "GPUs"}, {V: 5, U: "day"}], WRITTEN),
    ("LoRA matches full fine-tuning while tuning only 0.1% of the parameters.",
     [{V: 0.1, U: "%", T: "resource", M: "parameters"}], WRITTEN),
    ("It removes 50% of the parameters.", [{V: 50, T: "reduction"}], WRITTEN),
    # ... but not the settings around it (written for the test)
    ("It sustains over 25 petaflops on 512 NVIDIA V100 GPUs.", [{V: 25, U: "FLOPs"}], DEV),  # after a dev sentence
    ("Our efficient variant runs at 120 tokens/s on a single RTX 4090.", [{V: 120, M: "throughput"}], WRITTEN),
    ("We fine-tune with a single 80GB GPU.", [], WRITTEN),
    ("We search architectures under a 10 GPU-hour budget.", [], WRITTEN),
    ("Training consumes 10 GPU hours of compute budget.", [{V: 10, U: "h", T: "resource"}], WRITTEN),
    ("The context window holds up to 128K tokens.", [], WRITTEN),
    ("The model has 70B parameters.", [], WRITTEN),
    ("Our 1.5B model, trained on only 50B tokens, outperforms 7B models.", [{V: 50, S: "B", U: "tokens"}], WRITTEN),
    ("Inference takes only 50 ms per image on a V100.", [{V: 50, U: "ms", T: "resource"}], WRITTEN),
    ("We fine-tune on 8×A100 GPUs for 3 hours.", [{V: 8, U: "GPUs", T: "resource"}, {V: 3, U: "h"}], WRITTEN),
    # written for the test: "is N% higher than" compares; a change word does not cross "while"
    ("Our model attains 84.1% accuracy on ImageNet, which is 1.3% higher than DeiT-S.",
     [{V: 84.1, T: "score"}, {V: 1.3, T: "improvement", M: "accuracy"}], WRITTEN),
    ("FooNet runs 3x faster than BarNet while using 60% of the memory.",
     [{V: 3, T: "speedup"}, {V: 60, T: "reduction", M: "memory"}], WRITTEN),
    # written for the test: "up N points", "loses only N", "cheaper" state changes; hardware run on is no metric
    ("The model reaches 45.3% on SWE-bench Verified, up 8.2 points from the base model.",
     [{V: 45.3, T: "score"}, {V: 8.2, U: "points", T: "improvement"}], WRITTEN),
    ("With 4-bit weights, it loses only 0.5 perplexity.", [{V: 0.5, T: "improvement", M: "perplexity"}], WRITTEN),
    ("FooMT beats the NLLB baseline by an average of 2.4 BLEU points on FLORES.",
     [{V: 2.4, U: "points", T: "improvement", M: "bleu", Q: "average"}], WRITTEN),
    ("Our pruning accelerates the decoder by 3.1x with negligible accuracy drop.",
     [{V: 3.1, T: "speedup", M: "speed"}], WRITTEN),
    ("Our model reaches 1.08 bits per character on enwik8.", [{V: 1.08, T: "score", M: "bits-per-character"}], WRITTEN),
    ("Our gate reaches 91.2% AUC, and up to 9% over prior differentiable gates.",
     [{V: 91.2, T: "score"}, {V: 9, T: "improvement", Q: "up_to"}], DEV),
    ("Our detector outperforms Faster R-CNN by 2.1 AP on COCO.", [{V: 2.1, T: "improvement", M: "map"}], WRITTEN),
    ("Training is 3x cheaper.", [{V: 3, U: "x", T: "reduction", M: "cost"}], WRITTEN),
    ("We achieve a speedup of 4.1x on A100 GPUs.", [{V: 4.1, T: "speedup", M: "speed"}], WRITTEN),
    # levels, changes and comparisons
    ("On Switchboard, the error rate of professional transcribers is 5.9%.",
     [{V: 5.9, T: "score", M: "error rate", "dataset": "Switchboard"}], SCIREX),
    ("It reaches an average reward gain of 85%.", [{V: 85, T: "improvement", Q: "average"}], DEV),
    ("The system scores 5.5 points more than the previous best unsupervised system.",
     [{V: 5.5, U: "points", T: "improvement", "baseline": "previous best unsupervised system"}], SCIREX),
    ("SDA reduces FID from 32.1 to 30.2 on CIFAR-10.", [{V: 32.1, T: "score"}, {V: 30.2, T: "score"}], WRITTEN),
    ("PAMS-EDSR raises PSNR from 32.095dB to 32.124dB on Set5.",
     [{V: 32.095, U: "dB", M: "psnr"}, {V: 32.124, U: "dB", M: "psnr"}], DEV),
    ("We achieve 93.05%, 70.15% and 67.71% on CIFAR-10, CIFAR-100 and ImageNet, respectively.",
     [{V: 93.05, "dataset": "CIFAR-10"}, {V: 70.15, "dataset": "CIFAR-100"}, {V: 67.71, "dataset": "ImageNet"}], DEV),
    ("The best net makes 160 errors; dropout nets make 103, 97 and 88 errors.",
     [{V: 160, U: None, T: "score"}, {V: 103}, {V: 97}, {V: 88}], WRITTEN),
    ("It trains for only 160 and 80 total epochs.", [{V: 160, M: "training epochs"}, {V: 80}], WRITTEN),
    ("Step-3 reaches up to 4,039 tokens per second per GPU.", [{V: 4039, M: "throughput", Q: "up_to"}], DEV),
    ("It needs only 5-25% of the training data volume.", [{V: 5, "value_max": 25, M: "training data"}], DEV),
    ("We fine-tune on 10% of the data.", [], WRITTEN),
    ("KIVI stores a 2bit KV cache.", [], WRITTEN),
    ("The input has an advance of 10ms per frame.", [], SCIREX),
    ("We pre-trained the machine five times, then fine-tuned it.", [], WRITTEN),
    ("It lies within a single point of the optimum.", [], WRITTEN),
    # metrics: named kinds, the abstract's own words, units that name them
    ("CBNet gives up to 4.8x speedup in inference latency.", [{V: 4.8, M: "latency", T: "speedup"}], DEV),
    ("Reversibility allows models with 25% more depth.", [{V: 25, M: "depth"}], WRITTEN),
    ("Fuyou reaches 156 TFLOPS while ZeRO-Infinity reaches 45 TFLOPS.",
     [{V: 156, M: "throughput", S: "T"}, {V: 45, M: "throughput"}], WRITTEN),
    ("PC-DARTS needs a search cost of merely 0.1 GPU-days.", [{V: 0.1, U: "day", M: "search cost", T: "resource"}], WRITTEN),
    ("Our tiny model (55M) beats the others.", [{V: 55, S: "M", U: "params"}], WRITTEN),
    ("AlphaZero trained on 64 second-generation TPUs.", [{V: 64, U: "GPUs", M: "tpus"}], WRITTEN),
    ("The best net makes 118 errors on the test set.", [{V: 118, M: "test errors", T: "score"}], WRITTEN),
    ("CINs improve their online processing efficiency by an order of magnitude.",
     [{V: 10, M: "online processing efficiency"}], DEV),
    ("ShortCircuit beats ABC by 14.61% in terms of circuits size.", [{V: 14.61, M: "circuits size"}], DEV),
    # written for the test: the standard metrics of other tasks are named, not "performance"
    ("The detector achieves 91.2% precision and 88.1% recall on the test set.",
     [{V: 91.2, T: "score", M: "precision"}, {V: 88.1, M: "recall"}], WRITTEN),
    ("HiFT fine-tunes a 7B model on one card with a precision of 32 using AdamW.", [], DEV),  # after a dev sentence
    ("Our model reaches a Dice score of 0.89 on BraTS.", [{V: 0.89, U: None, T: "score", M: "dice"}], WRITTEN),
    ("It obtains an EER of 2.1% on VoxCeleb1.", [{V: 2.1, M: "equal error rate"}], WRITTEN),
    ("The tracker achieves 75.3 MOTA and 72.1 IDF1 on MOT17.", [{V: 75.3, M: "mota"}, {V: 72.1, M: "idf1"}], WRITTEN),
    ("It reaches 0.92 Spearman correlation with human judgments.", [{V: 0.92, M: "spearman correlation"}], WRITTEN),
    ("We achieve 81.9% macro-F1 on the benchmark.", [{V: 81.9, M: "macro-f1"}], WRITTEN),
    ("It improves the BERTScore by 2.1 points.", [{V: 2.1, U: "points", T: "improvement", M: "bertscore"}], WRITTEN),
    ("The agent reaches a human-normalized score of 230% on Atari.", [{V: 230, M: "human-normalized score"}], WRITTEN),
    ("It cuts the time-to-first-token by 2.5x.", [{V: 2.5, T: "speedup", M: "time to first token"}], WRITTEN),
    # written for the test: a model grown N times is a scale in the abstract's own words, not a speed
    ("It can train models up to 3x larger on the same hardware.",
     [{V: 3, U: "x", T: "improvement", M: "models", Q: "up_to"}], WRITTEN),
    ("This enables 8x bigger models within the same training budget.", [{V: 8, T: "improvement", M: "models"}], WRITTEN),
    # the spec: a quality loss the method accepts is an improvement, as written
    ("Pruning causes only a 4.0% decline in accuracy.", [{V: 4.0, U: "%", T: "improvement", M: "accuracy"}], WRITTEN),
    # written for the test: a comparison written after a later number is that number's, not the score's
    ("ZapNet reaches 91.2% top-1 accuracy on ImageNet while being 2.5x faster than ResNet-50.",
     [{V: 91.2, T: "score", "baseline": None}, {V: 2.5, T: "speedup", "baseline": "ResNet-50"}], WRITTEN),
    ("It needs 12 GB of memory and runs 3x faster than FlashAttention.",
     [{V: 12, T: "resource", "baseline": None}, {V: 3, "baseline": "FlashAttention"}], WRITTEN),
    # written for the test: a result near another's names that one as the baseline
    ("Our model reaches 93.1% accuracy on CIFAR-10, on par with DenseNet-BC.",
     [{V: 93.1, T: "score", "method": None, "baseline": "DenseNet-BC"}], WRITTEN),
    ("FooNet reaches 93.1% accuracy, comparable to ResNet-152.", [{V: 93.1, "baseline": "ResNet-152"}], WRITTEN),
    ("It reaches 2.1% error on CIFAR-10, close to what we believe is optimal.", [{V: 2.1, "baseline": None}], WRITTEN),
    # written for the test: captioning and translation scores each keep the name written before them
    ("QuxNet achieves a BLEU-1 of 80.2 and a CIDEr-D of 61.3 on MSR-VTT.",
     [{V: 80.2, T: "score", M: "bleu"}, {V: 61.3, M: "cider"}], WRITTEN),
    ("We obtain 30.2 BLEU-2, a chrF of 55.1 and a TER of 40.2 on WMT14.",
     [{V: 30.2, M: "bleu"}, {V: 55.1, M: "chrf"}, {V: 40.2, M: "ter"}], WRITTEN),
    ("Our tokenizer reaches a gFID of 1.8 on ImageNet.", [{V: 1.8, T: "score", M: "fid"}], WRITTEN),
    ("Clustering reaches an NMI of 0.82 on MNIST.", [{V: 0.82, T: "score", M: "nmi"}], WRITTEN),
    ("It raises MFU from 38% to 52%.", [{V: 38, T: "score", M: "model flops utilization"}, {V: 52, T: "score"}], WRITTEN),
    # a weak name leading a longer noun phrase is part of it (written for the test)
    ("Our cache reduces data transfer time by 47.1% on average.",
     [{V: 47.1, M: "data transfer time", T: "speedup"}], WRITTEN),
    ("The prefetcher covers 84% of the data accesses.", [{V: 84, M: "data accesses"}], WRITTEN),
    ("The planner cuts the number of compute nodes by 31%.", [{V: 31, M: "compute nodes", T: "reduction"}], WRITTEN),
    # written for the test: a measure in the abstract's own words, named after a verb or right after the number
    ("We push the certified radius to 2 times larger on CIFAR-10.", [{V: 2, M: "certified radius"}], WRITTEN),
    ("The attack achieves a 98% evasion rate.", [{V: 98, T: "score", M: "evasion rate"}], WRITTEN),
    ("The model reaches an average root-mean-square-error (RMSE) of 6.04 dB.", [{V: 6.04, U: "dB", M: "rmse"}], DEV),
    ("The quantization time is less than 30s on ImageNet.", [{V: 30, U: "s", M: "quantization time"}], WRITTEN),
    ("The recovery time is within 50 minutes.", [{V: 50, U: "min", T: "resource", M: "recovery time"}], WRITTEN),
    ("The model has a transmission efficiency of 85%.", [{V: 85, T: "score", M: "transmission efficiency"}], WRITTEN),
    # metrics read pairwise: a list of names and a list of numbers (written for the test)
    ("The detector achieves precision, F1 and specificity of 91%, 88% and 95%, respectively.",
     [{V: 91, M: "precision", T: "score"}, {V: 88, M: "f1"}, {V: 95, M: "specificity"}], WRITTEN),
    ("The classifier attains 93.1%, 88.4% and 95.0% recall, F1 score and specificity, respectively.",
     [{V: 93.1, M: "recall"}, {V: 88.4, M: "f1"}, {V: 95.0, M: "specificity"}], WRITTEN),
    ("On Set14 our network reaches 28.9 dB and 0.79 in PSNR and SSIM, respectively.",
     [{V: 28.9, M: "psnr"}, {V: 0.79, M: "ssim", T: "score"}], WRITTEN),
    ("Our model reaches PSNR/SSIM of 31.2/0.89 on Set5.", [{V: 31.2, M: "psnr"}, {V: 0.89, M: "ssim"}], WRITTEN),
    # ... but not settings named after "for" (dev gold)
    ("It reduces memory usage by up to 0.77times and 0.51times for training and inference respectively.",
     [{V: 0.77, M: "memory"}, {V: 0.51, M: "memory"}], DEV),
    # ranges written with ~ (written for the test)
    ("Our kernels run 10X~20X faster than cuBLAS.", [{V: 10, "value_max": 20, U: "x", T: "speedup"}], WRITTEN),
    ("Our kernels run 10~20X faster than cuBLAS.", [{V: 10, "value_max": 20, U: "x", T: "speedup"}], WRITTEN),
    # a number gets the datasets of its own phrase, lists pair in order (written for the test)
    ("Evaluated on CIFAR-10, CIFAR-100 and SVHN, our model obtains 3.1% error for CIFAR-10, 17.2% for "
     "CIFAR-100 and 1.9% for SVHN.",
     [{V: 3.1, "dataset": "CIFAR-10"}, {V: 17.2, "dataset": "CIFAR-100"}, {V: 1.9, "dataset": "SVHN"}], DEV),
    ("The student reaches a top-1 accuracy of 96.1/81.3 on CIFAR-10/CIFAR-100 and 76.2% on ImageNet.",
     [{V: 96.1, "dataset": "CIFAR-10"}, {V: 81.3, "dataset": "CIFAR-100"}, {V: 76.2, "dataset": "ImageNet"}], DEV),
    ("We obtain 65.03% verified error on CIFAR-10 and 82.36% verified error on SVHN with short schedules "
     "(160 and 80 total epochs, respectively).",
     [{V: 65.03, "dataset": "CIFAR-10"}, {V: 82.36, "dataset": "SVHN"},
      {V: 160, "dataset": "CIFAR-10"}, {V: 80, "dataset": "SVHN"}], DEV),
    # "from X to Y": X is the previous system's (written for the test)
    ("Our method improves the previous best model EDM, reducing FID from 1.79 to 1.30 on CIFAR-10.",
     [{V: 1.79, "method": "EDM"}, {V: 1.30}], WRITTEN),
    ("On DukeMTMC, mAP is raised from 41.2% to 63.7% for AlexNet, and from 60.1% to 70.4% "
     "for DenseNet-121.", [{V: 41.2, "method": "AlexNet"}, {V: 63.7, "baseline": "AlexNet"},
                           {V: 60.1, "method": "DenseNet-121"}, {V: 70.4, "baseline": "DenseNet-121"}], WRITTEN),
    # counts and shares of another system are no scores (written for the test)
    ("We analyze it on CIFAR-10 with 100 and 1000 layers.", [], WRITTEN),
    ("It scales to 1000+ layers on CIFAR-10 with 94.1% accuracy.",
     [{V: 1000, T: "resource"}, {V: 94.1, T: "score", M: "accuracy"}], WRITTEN),
    ("The distilled student retains 96.3% of LLaMA-2's accuracy on MMLU.",
     [{V: 96.3, T: "improvement", "baseline": "LLaMA-2"}], WRITTEN),
    # a comparison stated before the numbers is their baseline (written for the test)
    ("Compared to existing works, our design reduces memory overhead by up to 240 MB.",
     [{V: 240, "baseline": "existing works"}], WRITTEN),
    ("Our model achieves comparable quality to the state-of-the-art while reducing inference time by over 40x.",
     [{V: 40, "baseline": "state of the art"}], DEV),
    ("FooNet consistently outperforms existing pruning methods, achieving up to 1.2% higher accuracy and "
     "30% fewer FLOPs.", [{V: 1.2, "baseline": "existing pruning methods"}, {V: 30, "baseline": "existing pruning methods"}], WRITTEN),
    ("The search time was reduced to 0.52 GPU day. NSGA-Net needs 4 GPU days.",
     [{V: 0.52, M: "search time"}, {V: 4, M: "search time"}], DEV),
    # written for the test: digits after "@" or glued to AP name a cut-off, never a value
    ("It reaches 91% pass@1 accuracy on HumanEval.", [{V: 91, U: "%", T: "score", M: "pass@1"}], WRITTEN),
    ("It gets 45.2 R@1 and 60.1 Recall@5 on the retrieval benchmark.",
     [{V: 45.2, M: "recall@1"}, {V: 60.1, M: "recall@5"}], WRITTEN),
    ("It reaches 52.1 Hits@10, 38.5 nDCG@10 and 40.3 mAP@0.5.",
     [{V: 52.1, M: "hits@10"}, {V: 38.5, M: "ndcg@10"}, {V: 40.3, M: "map@0.5"}], WRITTEN),
    ("Our detector gets 55.2 AP50 and 40.1 AP75 on COCO.", [{V: 55.2, M: "ap50"}, {V: 40.1, M: "ap75"}], WRITTEN),
    ("It improves pass@10 by 5.2% and reaches 0.45 F1@5.", [{V: 5.2, M: "pass@10"}, {V: 0.45, M: "f1@5"}], WRITTEN),
    # methods and baselines
    ("M-VAR: Decoupled Modeling", "Our largest model M-VAR-d32 registers 1.78 FID on ImageNet.", DEV),
    ("FuseMax achieves an average 6.7times speedup over the prior state-of-the-art FLAT.",
     [{V: 6.7, "baseline": "FLAT"}], DEV),
    ("Our method gives a 10-20% improvement over SOTA.", [{V: 10, "value_max": 20, "baseline": "state of the art"}], WRITTEN),
    ("FlexVAR outperforms AiM/VAR by 0.25/0.28 FID.",
     [{V: 0.25, "baseline": "AiM", U: "points"}, {V: 0.28, "baseline": "VAR", U: "points"}], DEV),
    # compared systems listed with "respectively" pair in order; models the method runs on do not
    ("Our sampler surpasses the solvers DPS and PSLD, achieving 4X and 8X fewer function evaluations, "
     "respectively.", [{V: 4, "baseline": "DPS"}, {V: 8, "baseline": "PSLD"}], WRITTEN),  # written for the test
    ("On VAR-d30 and Infinity-8B, it compresses 50% and 70% of the cache, respectively.",  # after a dev sentence
     [{V: 50, "baseline": None}, {V: 70, "baseline": None}], WRITTEN),
    ("It is 2.6x faster than EfficientNet w.r.t measured latency.", [{V: 2.6, "baseline": "EfficientNet"}], DEV),
    ("FooDet surpasses RetinaNet by 3.7 AP on COCO.",  # written for the test: a weak name after a change
     [{V: 3.7, U: "points", T: "improvement", M: "map", "baseline": "RetinaNet"}], WRITTEN),
    ("StableCode-3b surpasses GPT-3.5 by +18.6% on HumanEval.", [{V: 18.6, "baseline": "GPT-3.5", T: "improvement"}], DEV),
    # baselines that are no names (issue 15): dev and SciREX sentences, shortened
    ("It achieves up to a 28times speed-up over existing methods such as MGLD-VSR.",
     [{V: 28, "baseline": "MGLD-VSR"}], DEV),
    ("It finds solutions within roughly 2% of the best-known values compared to the three hours of B&P.",
     [{V: 2, "baseline": None}, {V: 3}], DEV),
    ("TTM shows significant accuracy gains of 12% over popular benchmarks.", [{V: 12, "baseline": None}], WRITTEN),
    ("It reduces training time by up to a 92.2% over the state of the art.",
     [{V: 92.2, "baseline": "state of the art"}], DEV),
    ("It outperforms the previous state of the art by 27% in MRR@10.",
     [{V: 27, "baseline": "previous state of the art"}], DEV),
    ("It scores 0.5 points more than the (supervised) shared task winner.", [{V: 0.5, "baseline": "shared task winner"}], SCIREX),
    ("It is 1.9% higher than that of the previous best MobileNetV3.", [{V: 1.9, "baseline": "MobileNetV3"}], DEV),
    # written for the test: the sentence's own comparison beats the previous sentence's
    ("FooNet outperforms BarNet by 5%. Compared to 1F1B, it gives a 68% increase in throughput.",
     [{V: 5, "baseline": "BarNet"}, {V: 68, "baseline": "1F1B"}], WRITTEN),
    # not claims: names, settings, years, math, background
    ("We evaluate ResNet-50, GPT-4 and Llama-2-7B on CIFAR-10 and COCO 2017.", [], WRITTEN),
    ("We train on 8 benchmarks covering three datasets and 1,000 classes in 2023.", [], WRITTEN),
    ("Images are ImageNet 256x256 and we use Conv3x3 blocks.", [], WRITTEN),
    ("We train with batch size 256 and k=3.", [], WRITTEN),
    ("At 90% sparsity the network still converges.", [], WRITTEN),
    ("We study 4x super-resolution of real videos.", [], WRITTEN),
    ("Model sizes have grown over 1000x in three years.", [], WRITTEN),
    ("We pretrain a 175B parameter model and our 7B model.", [], WRITTEN),
    ("The RTX 4090 GPU is a consumer card.", [], WRITTEN),
    ("A 3D U-Net with two-layer networks.", [], WRITTEN),
    ("Speech recognition has improved since the 1990s.", [], WRITTEN),
    ("It upsamples audio between 4kHz and 32kHz to 48kHz.", [], WRITTEN),
    ("We evaluate 0-5 day and 5-10 day forecasts.", [], WRITTEN),
    ("FID of 1.70 on ImageNet 256 x 256 in the 5 times 5 multiplication task.", [{V: 1.70}], DEV),
    ("Gains are 11.0% for 2B and 17.4% for 7B models.", [{V: 11.0}, {V: 17.4}], DEV),
    # written for the test: training data is not what a score is measured on
    ("It reaches 58.4 box AP when pre-trained on Objects365 and evaluated on COCO.", [{V: 58.4, "dataset": "COCO"}], WRITTEN),
    ("With ImageNet-22K pre-training, it reaches 87.3% top-1 accuracy.", [{V: 87.3, "dataset": None}], WRITTEN),
    ("Fine-tuned on ImageNet then evaluated on COCO, it reaches 45.1 mAP.", [{V: 45.1, "dataset": "COCO"}], WRITTEN),
    ("ResNet-20 trained on CIFAR-10 reaches 91.2% accuracy.", [{V: 91.2, "dataset": "CIFAR-10"}], DEV),
    # "from X to Y" states two levels; a change word after the next number is that number's (PAMS, dev)
    ("8-bit PAMS-EDSR improves PSNR on Set5 from 32.095 dB to 32.124 dB with 2.42times compression ratio.",
     [{V: 32.095, T: "score"}, {V: 32.124, T: "score", M: "psnr", "dataset": "Set5"}, {V: 2.42, T: "reduction"}], DEV),
    # written for the test: a later clause's subject is its numbers' method
    ("Our CoarseNet achieves 81.2% top-1 accuracy on ImageNet, and our FineNet obtains 48.3 mAP on COCO.",
     [{V: 81.2, "method": "CoarseNet"}, {V: 48.3, "method": "FineNet"}], WRITTEN),
    # a metric's verb: "recalling 84% of the data" is a recall (NAP, dev)
    ("We can verify a significant region of the input space, while still recalling 84% of the data on MNIST.",
     [{V: 84, T: "score", M: "recall", "dataset": "MNIST"}], DEV),
    # written for the test: a score whose abstract names no metric is `performance`, as the
    # spec's conventions say, even where the benchmark has a usual one: it makes no board
    ("The diagonal model averages 85% on the Long Range Arena benchmark.",
     [{V: 85, T: "score", M: "performance", "dataset": "Long Range Arena"}], DEV),
    ("Our fine-tuned coder reaches 62.2% on HumanEval and 71.3% on MBPP.",
     [{V: 62.2, M: "performance", "dataset": "HumanEval"}, {V: 71.3, M: "performance", "dataset": "MBPP"}], WRITTEN),
    # written for the test: a variable code right after "<metric> for" is what was measured,
    # not the sentence's subject; a model's name is not one
    ("At a 5-day lead time, our model reduces the RMSE for Z500 to 512 m^2/s^2.",
     [{V: 512, T: "score", M: "rmse", "dataset": "Z500"}], DEV),
    ("The RMSE for T2M is reduced to 1.85 K, compared to 1.92 K for IFS.",
     [{V: 1.85, M: "rmse", "dataset": "T2M", "method": None, S: None}, {V: 1.92, "dataset": "T2M"}], DEV),
    ("The accuracy for VGG16 is 93.5% on CIFAR-10.", [{V: 93.5, "dataset": "CIFAR-10", "method": "VGG16"}], WRITTEN),
    # written for the test: a capitalized name after "on" is a dataset, even outside the registry
    ("It reaches 92.1% accuracy on CIFAR-100, and 95.3% on Oxford Pets.",
     [{V: 92.1, "dataset": "CIFAR-100"}, {V: 95.3, "dataset": "Oxford Pets"}], WRITTEN),
    ("It gets 81.2% top-1 accuracy on ImageNet, and 97.1% on Flowers.",
     [{V: 81.2, "dataset": "ImageNet"}, {V: 97.1, "dataset": "Flowers"}], WRITTEN),
    ("It reaches 45.2 R@1 on MSR-VTT, and 40.1% R@1 on DiDeMo.",
     [{V: 45.2, "dataset": "MSR-VTT"}, {V: 40.1, "dataset": "DiDeMo"}], WRITTEN),
    # ... but not hardware or a model (ZeroQ, dev)
    ("ZeroQ can achieve 1.71% higher accuracy on MobileNetV2, as compared to DFQ.", [{V: 1.71, "dataset": None}], DEV),
    ("It runs 3x faster on A100 GPUs.", [{V: 3, "dataset": None}], WRITTEN),
    # written for the test: a counted noun after a list's last member counts every member
    ("We present an analysis on CIFAR-10 with 100 and 1000 layers.", [], WRITTEN),
    ("Training scales for 4, 8 and 16 GPUs with near-linear efficiency.", [], WRITTEN),
    ("We report 95.1% accuracy on 3 and 5 tasks.", [{V: 95.1}], WRITTEN),
    ("It converges in just 10 and 20 epochs.", [{V: 10}, {V: 20}], WRITTEN),
    # a placing in a contest is a score of the metric rank, the contest its dataset (NAFSSR, dev)
    ("With NAFSSR, we won 1st place in the NTIRE 2022 Stereo Image Super-resolution Challenge.",
     [{V: 1, U: None, T: "score", M: "rank", "dataset": "NTIRE 2022 Stereo Image Super-resolution Challenge",
       "text": "1st place"}], DEV),
    # written for the test: ordinal words, "#1", "top-N" before a contest, verbs before an ordinal
    ("Our system achieves 2nd place in the CVPR 2023 Ego4D challenge.", [{V: 2, T: "score", M: "rank"}], WRITTEN),
    ("Our model ranks #1 on the Open LLM Leaderboard.",
     [{V: 1, M: "rank", "dataset": "Open LLM Leaderboard", "text": "ranks #1"}], WRITTEN),
    ("Our entry took third place in the Waymo Motion Prediction Competition.",
     [{V: 3, M: "rank", "dataset": "Waymo Motion Prediction Competition"}], WRITTEN),
    ("At submission time, our method ranked first on the KITTI leaderboard.", [{V: 1, M: "rank", "dataset": "KITTI"}], WRITTEN),
    ("The ensemble is top-1 on the SuperGLUE leaderboard.", [{V: 1, M: "rank"}], WRITTEN),
    # ... but not an ordinal of anything else, nor a placing outside a contest
    ("It reaches 81.2% top-1 accuracy on the ImageNet challenge.", [{V: 81.2, M: "top-1 accuracy"}], WRITTEN),
    ("This is the first method to top the leaderboard of the challenge.", [], WRITTEN),
    ("For the first time, a first-order method wins the first stage of the competition.", [], WRITTEN),
    ("Winning the challenge was not our goal in the first place.", [], WRITTEN),
    ("Pawns move two steps forward from the second rank.", [], SCIREX),
]


ROWS = [row[:2] for row in TABLE if isinstance(row[1], list)]
TITLED = [row[:2] for row in TABLE if isinstance(row[1], str)]  # (title, sentence): the method rows
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def _words(text):
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _source(sentence, dev, scirex):
    """Where a sentence comes from: some run of six of its words stands in that text."""
    words = _words(sentence).split()
    runs = {" ".join(words[i:i + 6]) for i in range(max(1, len(words) - 5))}
    return DEV if any(r in dev for r in runs) else SCIREX if any(r in scirex for r in runs) else WRITTEN


def test_row_sources():
    dev = _words(" ".join(p.read_text(encoding="utf-8") for p in sorted((SHARED / "dumps").glob("*.txt"))))
    scirex = _words((SHARED / "scirex" / "abstracts.jsonl").read_text(encoding="utf-8"))
    assert dev and scirex, f"{SHARED}: the dev dumps and SciREX abstracts are needed"
    sentences = [(row[1] if isinstance(row[1], str) else row[0], row[-1]) for row in TABLE]
    assert [s[:60] for s, label in sentences if label != _source(s, dev, scirex)] == []


@pytest.mark.parametrize("sentence,expected", ROWS, ids=[row[0][:40] for row in ROWS])
def test_extract_table(sentence, expected):
    claims = extract("Paper", sentence)
    assert len(claims) == len(expected), [c.text for c in claims]
    for claim, fields in zip(claims, expected):
        for field, value in fields.items():
            got = getattr(claim, field)
            if isinstance(value, float):
                assert got == pytest.approx(value), (field, claim.text)
            else:
                assert got == value, (field, claim.text, got)


@pytest.mark.parametrize("title,sentence", TITLED)
def test_a_named_variant_of_the_paper_method_is_the_method(title, sentence):
    assert [c.method for c in extract(title, sentence)] == ["M-VAR-d32"]


def test_a_sentence_subject_is_the_method():
    claims = extract("Seq-VCR: Better Reasoning", "Seq-VCR is strong. GPT-4 only reaches 44% accuracy.")
    assert [(c.value, c.method) for c in claims] == [(44, "GPT-4")]


@pytest.mark.parametrize("title,abstract,method", [
    ("LeYOLO, New Scalable and Efficient CNN Architecture", "LeYOLO reaches 41 mAP on COCO.", "LeYOLO"),
    ("Adversarial Diffusion Compression for Super-Resolution",
     "Real-ISR is slow. This paper proposes a novel Real-ISR method, AdcSR, by distillation. "
     "AdcSR is 9.3x faster than Real-ISR baselines.", "AdcSR"),
    # written for the test: "our <Name> model" is the paper's own, however often it names the prior work
    ("Simplified State Space Layers for Sequence Modeling", "Models based on the HiPPO framework are strong. "
     "HiPPO uses a recurrence. We build on HiPPO. Our S5-PTD model averages 87.6% on LRA.", "S5-PTD"),
    # written for the test: a rival named near a result is no method, however often it is named
    ("Densely wired nets", "We study wiring like DenseNet. Unlike DenseNet, our model is sparse. "
     "Our model reaches 93.1% accuracy on CIFAR-10, approaching DenseNet.", None),
])
def test_the_paper_method(title, abstract, method):
    assert {c.method for c in extract(title, abstract)} == {method}


def test_a_later_sentence_keeps_the_comparison():
    claims = extract("SE-MoE: A System", "SE-MoE outperformed DeepSpeed with 33% higher throughput. "
                     "On UFO, SE-MoE achieved 64% higher throughput in 8 days.")
    assert [(c.value, c.baseline) for c in claims] == [(33, "DeepSpeed"), (64, "DeepSpeed"), (8, None)]


def test_the_from_number_of_an_unnamed_baseline_has_no_method():  # written for the test
    claims = extract("FooNet: Fast Nets", "FooNet improves the accuracy from 71.2% to 75.8% on ImageNet.")
    assert [(c.value, c.method) for c in claims] == [(71.2, None), (75.8, "FooNet")]


def test_a_title_phrase_is_no_method():
    claims = extract("Breaking the Softmax Bottleneck: A High-Rank RNN Language Model",
                     "We improve the perplexity to 47.69 on Penn Treebank.")
    assert [(c.value, c.method, c.metric) for c in claims] == [(47.69, None, "perplexity")]


def test_a_metric_named_in_an_earlier_sentence():
    claims = extract("X", "We measure accuracy on many tasks. Overall we gain 4.6% on commonsense reasoning.")
    assert [(c.value, c.metric) for c in claims] == [(4.6, "accuracy")]


def test_offsets_slice_the_abstract_to_text():
    abstract = "Intro. ZeRO++ reduces communication volume of ZeRO by 4x, enabling up to 2.16x better throughput."
    for claim in extract("ZeRO++: Efficient", abstract):
        assert abstract[claim.start:claim.end] == claim.text


def test_method_is_the_title_prefix():
    claims = extract("ZeRO++: Extremely Efficient Collective Communication",
                     "ZeRO++ reduces communication volume of ZeRO by 4x.")
    assert [(c.method, c.baseline, c.type, c.metric) for c in claims] == [
        ("ZeRO++", "ZeRO", "reduction", "communication volume")]


def test_same_number_twice_is_one_claim():
    claims = extract("X", "It is 3x faster. Being 3x faster matters.")
    assert [c.value for c in claims] == [3]
