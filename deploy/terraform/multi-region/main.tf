# PromptSentinel in two AWS regions behind Route 53 geolocation routing.
#
# Each region runs the same stack (modules/region: ECS Fargate service, ALB with HTTPS,
# security groups, log group).  Differences from the deployment guide's snippet: the task
# definition is per region (an ECS task definition ARN cannot cross regions), Fargate
# services need network_configuration, and a default ("*") geolocation record answers
# clients outside North America and Europe (geolocation routing alone returns no answer).
#
#   terraform init && terraform plan -var-file=prod.tfvars

provider "aws" {
  alias  = "us_east"
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu_west"
  region = "eu-west-1"
}

module "us_east" {
  source    = "./modules/region"
  providers = { aws = aws.us_east }

  name               = "promptsentinel-us-east"
  region             = "us-east-1"
  image              = var.image
  desired_count      = var.desired_count
  vpc_id             = var.us_east.vpc_id
  public_subnet_ids  = var.us_east.public_subnet_ids
  private_subnet_ids = var.us_east.private_subnet_ids
  certificate_arn    = var.us_east.certificate_arn
  redis_url          = var.us_east.redis_url
  secret_arns        = var.secret_arns.us_east
}

module "eu_west" {
  source    = "./modules/region"
  providers = { aws = aws.eu_west }

  name               = "promptsentinel-eu-west"
  region             = "eu-west-1"
  image              = var.image
  desired_count      = var.desired_count
  vpc_id             = var.eu_west.vpc_id
  public_subnet_ids  = var.eu_west.public_subnet_ids
  private_subnet_ids = var.eu_west.private_subnet_ids
  certificate_arn    = var.eu_west.certificate_arn
  redis_url          = var.eu_west.redis_url
  secret_arns        = var.secret_arns.eu_west
}

data "aws_route53_zone" "main" {
  provider = aws.us_east
  name     = var.domain_name
}

# Route 53 geolocation routing: North America -> us-east-1, Europe -> eu-west-1,
# everyone else -> us-east-1.  evaluate_target_health fails a region over when its ALB
# has no healthy targets (/health/ready).
resource "aws_route53_record" "promptsentinel_na" {
  provider       = aws.us_east
  zone_id        = data.aws_route53_zone.main.zone_id
  name           = var.record_name
  type           = "A"
  set_identifier = "us-east"

  geolocation_routing_policy {
    continent = "NA"
  }

  alias {
    name                   = module.us_east.alb_dns_name
    zone_id                = module.us_east.alb_zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "promptsentinel_eu" {
  provider       = aws.us_east
  zone_id        = data.aws_route53_zone.main.zone_id
  name           = var.record_name
  type           = "A"
  set_identifier = "eu-west"

  geolocation_routing_policy {
    continent = "EU"
  }

  alias {
    name                   = module.eu_west.alb_dns_name
    zone_id                = module.eu_west.alb_zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "promptsentinel_default" {
  provider       = aws.us_east
  zone_id        = data.aws_route53_zone.main.zone_id
  name           = var.record_name
  type           = "A"
  set_identifier = "default"

  geolocation_routing_policy {
    country = "*"
  }

  alias {
    name                   = module.us_east.alb_dns_name
    zone_id                = module.us_east.alb_zone_id
    evaluate_target_health = true
  }
}
