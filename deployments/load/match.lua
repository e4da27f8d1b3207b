-- wrk script: POST /v1/match with a full enterprise profile.
-- wrk -t2 -c64 -d20s --latency -s deployments/load/match.lua http://127.0.0.1:8080
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"profile": {"applicant_type":"enterprise","region":"南康区","industry":"modern_light_textile","is_industrial":true,"enterprise_scale":"medium","main_revenue_cny":1100000000,"prior_max_revenue_cny":990000000,"profitable":true,"bond_financing_cny":300000000,"listing_status":"preparing","project_productive_assets_cny":200000000,"project_investment_cny":250000000,"project_policy_compliant":true,"project_in_production_within_2y":true,"pays_social_insurance":true,"informatization_demo":"provincial","energy_saving_tce":800,"indicators_grew_yoy":true,"energy_product_certified":true,"attends_official_expo":true}, "as_of": "2026-11-27"}]]
wrk.path = "/v1/match"
